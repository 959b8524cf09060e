"""Records that can be added but never changed or removed: the audit log, the custody log.

The model and its querysets refuse updates and deletes; on PostgreSQL a trigger added by each
log's migration refuses them in the database too, so not even a raw query rewrites history.
"""

from __future__ import annotations

from django.db import models


def _refuse(model: type[models.Model]) -> PermissionError:
    return PermissionError(f"The {getattr(model, 'log_name', model._meta.verbose_name)} is append-only")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refuse(self.model)

    def delete(self):
        raise _refuse(self.model)


class AppendOnlyModel(models.Model):
    log_name = "log"  # what the refusal calls it: "the audit log is append-only"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise _refuse(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(type(self))
