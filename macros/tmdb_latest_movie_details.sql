{#-
    The latest row of each movie in raw.movie_details, as a select for a CTE: the parent rows whose
    children (genres, credits, keywords...) are current. dlt merges movie_details on id, replacing the
    children with the parent, so this is one row per movie already; the QUALIFY keeps it so should a
    load ever leave two (e.g. a write disposition changed to append).
-#}
{% macro tmdb_latest_movie_details() -%}
    select
        id as movie_id,
        _dlt_id as details_row_id,
        snapshot_date as details_fetched_on,
        _dlt_load_id as load_id,
    from {{ source('tmdb', 'movie_details') }}
    where id is not null
    qualify row_number() over (partition by id order by snapshot_date desc, _dlt_load_id desc) = 1
{%- endmacro %}
