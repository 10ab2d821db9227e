"""Indexes of the person search and list (registry/search.py, docs/adr/0011-finding-people.md).

``registry_name_grams(name)``: the one- and two-character pieces of a name, lower-cased, for a
GIN index that finds a part of a name. pg_trgm's trigrams would not do: a Chinese name has two
or three characters, and a two-character part has no trigram to look up. The function is plain
SQL, so no extension is needed.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.datetime
import django.db.models.functions.text
from django.db import migrations, models

NAME_GRAMS = """
CREATE OR REPLACE FUNCTION registry_name_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (
        SELECT substr(lower(value), i, 1) AS gram
        FROM generate_series(1, char_length(value)) AS i
        UNION ALL
        SELECT substr(lower(value), i, 2)
        FROM generate_series(1, char_length(value) - 1) AS i
    ) AS grams
$$
"""


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_special_group_scheme_kinds'),
    ]

    operations = [
        migrations.RunSQL(NAME_GRAMS, "DROP FUNCTION IF EXISTS registry_name_grams(text)"),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(models.F('name'), models.F('id'), name='person_name_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.text.Substr('document_number', 1, 6), models.F('id'), name='person_doc_prefix_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.datetime.ExtractYear('birth_date'), models.F('id'), name='person_birth_year_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(models.F('region'), models.F('id'), name='person_region_id'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['document_number'], name='person_document_pattern', opclasses=['varchar_pattern_ops']),
        ),
        # Django writes the operator class of an expression inside its parentheses.
        migrations.RunSQL(
            "CREATE INDEX person_document_reversed ON registry_person ((reverse(document_number)) text_pattern_ops)",
            "DROP INDEX IF EXISTS person_document_reversed",
            state_operations=[
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Reverse('document_number'), name='text_pattern_ops'), name='person_document_reversed'),
                ),
            ],
        ),
        # Django writes the operator class of an expression inside its parentheses.
        migrations.RunSQL(
            "CREATE INDEX person_phone_digits ON registry_person ((replace(phone, '-', '')) text_pattern_ops) WHERE NOT (phone = '')",
            "DROP INDEX IF EXISTS person_phone_digits",
            state_operations=[
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Replace('phone', models.Value('-'), models.Value('')), name='text_pattern_ops'), condition=models.Q(('phone', ''), _negated=True), name='person_phone_digits'),
                ),
            ],
        ),
        # Django writes the operator class of an expression inside its parentheses.
        migrations.RunSQL(
            "CREATE INDEX person_phone_reversed ON registry_person ((reverse(replace(phone, '-', ''))) text_pattern_ops) WHERE NOT (phone = '')",
            "DROP INDEX IF EXISTS person_phone_reversed",
            state_operations=[
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Reverse(django.db.models.functions.text.Replace('phone', models.Value('-'), models.Value(''))), name='text_pattern_ops'), condition=models.Q(('phone', ''), _negated=True), name='person_phone_reversed'),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='person',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('name'), function='registry_name_grams', output_field=models.TextField()), name='person_name_grams'),
        ),
    ]
