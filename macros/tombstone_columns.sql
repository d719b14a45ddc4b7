{#- The columns of a tombstones table keyed by `key` (movie_id, person_id) and their types, as dlt writes it
    (pipelines/tmdb/tombstones.py `tombstone_columns`): what source_or_empty reads before the first tombstone. -#}
{% macro tombstone_columns(key) -%}
    {{ return({
        key: 'bigint',
        'detected_on': 'date',
        'http_status': 'bigint',
        'tmdb_status_code': 'bigint',
        'tmdb_status_message': dbt.type_string(),
        '_dlt_load_id': dbt.type_string(),
    }) }}
{%- endmacro %}
