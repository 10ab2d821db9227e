"""Named personas, built from the demo world (small): 经办员 wang, 审核员 sun, 评估员 li,
稽核员 zhao, 机构 kangning, 护理员 zhou, 参保人 chen, 监督 qian, admin. Their scope is Suzhou
(320500); persons in Nanjing (320100) are outside every scope but admin's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from jingban.core.models import User
from jingban.demo.world import World, build_world
from jingban.registry.models import Person

NANJING = "320100/"


@dataclass
class Personas:
    world: World

    def user(self, username: str) -> User:
        return self.world.users[username]

    def client(self, username: str, *, language: str = "zh-hans") -> Client:
        client = Client(enforce_csrf_checks=False)
        client.force_login(self.user(username))
        if language != self.user(username).language:
            User.objects.filter(username=username).update(language=language)
        return client

    @property
    def in_scope_person(self) -> Person:
        """A Suzhou person that is not the insured persona's own record."""
        return next(
            p for p in self.world.persons if "320500/" in p.region.path and p.account_id is None
        )

    @property
    def out_of_scope_person(self) -> Person:
        return next(p for p in self.world.persons if NANJING in p.region.path)

    @property
    def own_person(self) -> Person:
        return next(p for p in self.world.persons if p.account_id == self.user("chen").pk)


@pytest.fixture
def personas(db, settings) -> Personas:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return Personas(build_world(persons=24, seed=7, var_dir=None))
