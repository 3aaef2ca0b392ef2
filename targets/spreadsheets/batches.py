"""Long sheets saved in batches, each batch with its audit rows (figures, indicators, commitments).

django-import-export saves a sheet row by row unless told to use ``bulk_create`` and
``bulk_update``; then it leaves out what this importer needs, which is added here: a history row
for every row created or changed (written by the database, a batch at a time), "unchanged"
judged on the values stored when the row was read (no deep copy and diff of every row), and
``full_clean`` spared the queries whose answers the lookups already hold.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone

from targets.spreadsheets.resources import SheetResource

# Rows a query may name by id: below every database's limit on query parameters.
IDS_PER_QUERY = 500


class BatchedResource(SheetResource):
    """A sheet saved in batches of ``batch_size`` rows.

    Subclasses list in ``resolved`` the foreign keys their lookups resolve, so that
    ``full_clean`` does not fetch them again, and make sure themselves that a row does not take
    another's unique values (the natural key finds the stored row; ``import_instance`` refuses
    a row that gives an object a row above already gave).
    """

    resolved: tuple[str, ...] = ()
    noun = "row"

    class Meta(SheetResource.Meta):
        use_bulk = True
        batch_size = 1000
        # No deep copy and field-by-field diff of every row: `skip_row` compares the stored
        # values kept by `after_init_instance` instead.
        skip_diff = True

    def before_import(self, dataset, **kwargs):
        self.original = None
        self.current = None
        # The spreadsheet row that gave each object, by the object's identity: objects not yet
        # saved have no id.
        self.row_of: dict[int, int] = {}

    def stored_values(self, instance) -> tuple:
        return tuple(getattr(instance, f.attname) for f in self._meta.model._meta.concrete_fields)

    def after_init_instance(self, instance, new, row, **kwargs):
        self.current = instance
        self.original = None if new else self.stored_values(instance)

    def import_instance(self, instance, row, **kwargs):
        earlier = self.row_of.get(id(instance))
        if earlier is not None:
            # Left alone, the second row would overwrite the first, unsaved.
            raise ValidationError(
                {self.key_columns[-1]: [f"Row {earlier} already gives this {self.noun}."]}
            )
        super().import_instance(instance, row, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self.original is None:
            return False
        return (
            self.stored_values(instance) == self.original
            and not _refers_to_unsaved(instance)
            and self.relations_unchanged(instance, row)
        )

    def relations_unchanged(self, instance, row) -> bool:
        """Whether what the row gives besides the model's own fields is as stored."""
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *self.resolved], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.current is not None:
            self.row_of[id(self.current)] = self.spreadsheet_row(kwargs["row_number"])

    def get_bulk_update_fields(self):
        return [f.name for f in self._meta.model._meta.concrete_fields if not f.primary_key]

    def creation_order(self, instances):
        """The new rows in the groups they can be inserted in, one group after the other."""
        yield instances

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances:
            model = self._meta.model
            try:
                with transaction.atomic(using=router.db_for_write(model), savepoint=False):
                    for instances in self.creation_order(self.create_instances):
                        model.objects.bulk_create(instances, batch_size=batch_size)
                        write_history(
                            model,
                            [instance.pk for instance in instances],
                            history_type="+",
                            user=self.user,
                            reason=self.source,
                        )
            except Exception as error:  # reported as a file error; the import is rolled back
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # A changed row may now refer to a new one (a sub-measure's new parent).
        self.bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
        if self.update_instances:
            model = self._meta.model
            try:
                with transaction.atomic(using=router.db_for_write(model), savepoint=False):
                    update_rows(model, self.update_instances, self.get_bulk_update_fields())
                    write_history(
                        model,
                        [instance.pk for instance in self.update_instances],
                        history_type="~",
                        user=self.user,
                        reason=self.source,
                    )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()


def _refers_to_unsaved(instance) -> bool:
    """Whether a foreign key was given a row of this sheet not saved yet: its id is still empty,
    so the stored values alone would call the row unchanged."""
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and related.pk is None:
                return True
    return False


def update_rows(model, instances, field_names) -> None:
    """Save the fields of changed rows: one UPDATE statement, run for each row (``executemany``).

    What ``bulk_update`` writes, without the CASE … WHEN expression over every row and field of
    a batch that it builds and compiles in Python: seconds for a thousand rows.
    """
    if not instances:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    for instance in instances:
        # As bulk_update does: a foreign key given a row saved since takes its id.
        instance._prepare_related_fields_for_save(operation_name="update_rows", fields=fields)
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields]
        + [instance.pk]
        for instance in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def write_history(model, pks, *, history_type: str, user, reason: str) -> None:
    """The audit rows (django-simple-history's table) of rows just saved in bulk.

    The database copies each saved row into the history table, stamped with the user, the
    change reason and the time: the rows simple-history's ``bulk_history_create`` writes, without
    building and inserting a historical instance per row in Python, which took longer than the
    rest of the import.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not pks:
        return
    if None in pks:
        raise ValueError("The database did not return the new rows' ids.")
    history = model.history.model
    meta = history._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    copied = [(meta.get_field(f.name).column, f.column) for f in history.tracked_fields]
    stamps = {
        "history_date": timezone.now(),
        "history_type": history_type,
        "history_user": user.pk if user is not None else None,
        "history_change_reason": reason,
    }
    targets = [quote(column) for column, _ in copied]
    targets += [quote(meta.get_field(name).column) for name in stamps]
    stamp_values = [
        meta.get_field(name).get_db_prep_save(value, connection) for name, value in stamps.items()
    ]
    sources = ", ".join([*(quote(column) for _, column in copied), *["%s"] * len(stamps)])
    pk = quote(model._meta.pk.column)
    step = connection.ops.bulk_batch_size([model._meta.pk], pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), step):
            batch = pks[start : start + step]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({', '.join(targets)}) "
                f"SELECT {sources} FROM {quote(model._meta.db_table)} "
                f"WHERE {pk} IN ({', '.join(['%s'] * len(batch))}) ORDER BY {pk}",
                [*stamp_values, *batch],
            )


class Links:
    """The rows of a link table (a many-to-many relation), read once and set in bulk.

    ``set(owner, targets)`` does what ``owner.relation.set(targets)`` does, for many owners in a
    few queries rather than two or more per owner. The relations set this way have no history
    (django-simple-history follows no many-to-many field here) and no signal receivers.
    """

    def __init__(self, through, owner: str, target: str):
        self.through = through
        self.owner, self.target = f"{owner}_id", f"{target}_id"
        self.stored: dict[int, dict[int, int]] = {}
        for pk, owner_id, target_id in through.objects.values_list("pk", self.owner, self.target):
            self.stored.setdefault(owner_id, {})[target_id] = pk
        # Owners are kept with their links until saved, when new ones have their ids.
        self.wanted: list[tuple[object, set[int]]] = []

    def of(self, owner_id) -> set[int]:
        return set(self.stored.get(owner_id, ()))

    def set(self, owner, target_ids) -> None:
        """Record the links an owner should have; ``save`` writes them."""
        self.wanted.append((owner, set(target_ids)))

    def save(self) -> None:
        removed, added = [], []
        for owner, wanted in self.wanted:
            stored = self.stored.get(owner.pk, {})
            removed += [pk for target_id, pk in stored.items() if target_id not in wanted]
            added += [
                self.through(**{self.owner: owner.pk, self.target: target_id})
                for target_id in sorted(wanted - stored.keys())
            ]
        delete_by_id(self.through, removed)
        self.through.objects.bulk_create(added, batch_size=IDS_PER_QUERY)
        self.wanted.clear()


def delete_by_id(model, pks) -> None:
    for start in range(0, len(pks), IDS_PER_QUERY):
        model.objects.filter(pk__in=pks[start : start + IDS_PER_QUERY]).delete()
