{#-
    The catalog per export day: its size, the movies added (first seen within var catalog_history_days), restored
    (seen before, absent from the previous export day) and deleted (in the previous export day's file, not in this
    one). The previous export day is the last day loaded before, so a gap day is skipped, not counted as a
    day when every movie vanished. The first export day has no previous day: nothing added, deleted or restored.
-#}

with

days as (

    select
        export_date,
        count(*) as catalog_size,
        count(*) filter (where previous_export_date is null) as first_seen,
    from {{ ref('fct_movie_popularity_daily') }}
    group by export_date

),

with_previous as (

    select
        export_date,
        catalog_size,
        first_seen,
        lag(export_date) over (order by export_date) as previous_export_date,
        lag(catalog_size) over (order by export_date) as previous_catalog_size,
    from days

),

continuing as (

    select
        f.export_date,
        count(*) filter (where f.previous_export_date = d.previous_export_date) as continuing,
        count(*) filter (where f.previous_export_date < d.previous_export_date) as restored,
    from {{ ref('fct_movie_popularity_daily') }} f
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
    from with_previous d
    left join continuing c using (export_date)

)

select * from final
