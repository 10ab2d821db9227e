"""The person's whole picture: one page and one API that gather what every app knows of an
insured person, each part shown as the viewer's role and scope allow."""
