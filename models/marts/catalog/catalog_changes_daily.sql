{#-
    The catalog per export day: its size, the movies added (first seen within var catalog_history_days), restored
    (seen before, absent from the previous export day) and deleted (in the previous export day's file, not in this
    one). The previous export day is the last day loaded before, so a gap day is skipped, not counted as a
    day when every movie vanished. The first export day has no previous day: nothing added, deleted or restored.

    Incremental (delete+insert on export_date): the days from the earliest fact day loaded after the newest load
    held here are recomputed, reading the export day before them too (for its size and the continuing movies).
-#}
{%- set first_day = none -%}
{%- set read_from = none -%}
{%- if is_incremental() and execute -%}
    {%- set watermark = incremental_watermark('source_load_id') -%}
    {%- set first_day = first_day_loaded_after(
        ref('fct_movie_popularity_daily'), 'load_id', 'export_date', watermark, numeric=true) -%}
    {%- if first_day is not none -%}
        {%- set before = run_query(
            "select cast(max(export_date) as " ~ dbt.type_string() ~ ") from " ~ ref('fct_movie_popularity_daily')
            ~ " where export_date < date '" ~ first_day ~ "'").columns[0].values()[0] -%}
        {%- set read_from = before or first_day -%}
    {%- endif -%}
{%- endif %}

with

facts as (

    select export_date, movie_id, previous_export_date, load_id
    from {{ ref('fct_movie_popularity_daily') }}
    {%- if is_incremental() %}
    where {% if first_day is none %}false{% else %}export_date >= date '{{ read_from }}'{% endif %}
    {%- endif %}

),

days as (

    select
        export_date,
        count(*) as catalog_size,
        count(*) filter (where previous_export_date is null) as first_seen,
        max(load_id) as source_load_id
    from facts
    group by export_date

),

with_previous as (

    select
        export_date,
        catalog_size,
        first_seen,
        source_load_id,
        lag(export_date) over (order by export_date) as previous_export_date,
        lag(catalog_size) over (order by export_date) as previous_catalog_size
    from days

),

continuing as (

    select
        f.export_date,
        count(*) filter (where f.previous_export_date = d.previous_export_date) as continuing,
        count(*) filter (where f.previous_export_date < d.previous_export_date) as restored
    from facts f
    join with_previous d using (export_date)
    group by f.export_date

),

final as (

    select
        d.export_date,
        d.previous_export_date,
        d.previous_export_date is null as is_first_export_day,
        cast(d.catalog_size as bigint) as catalog_size,
        cast(case when d.previous_export_date is not null then d.first_seen else 0 end as bigint) as added,
        cast(coalesce(c.restored, 0) as bigint) as restored,
        cast(case
            when d.previous_export_date is not null then d.previous_catalog_size - coalesce(c.continuing, 0)
            else 0
        end as bigint) as deleted,
        d.source_load_id
    from with_previous d
    left join continuing c using (export_date)
    {%- if is_incremental() and first_day is not none %}
    where d.export_date >= date '{{ first_day }}'
    {%- endif %}

)

select * from final
