"""The national hospital interface (《医疗保障信息平台定点医药机构接口规范》): one endpoint
taking the common envelope, answering a working subset of its transactions against the one
settlement service of ``jingban.medical``. See docs/hospital-interface.md and ADR 0016."""
