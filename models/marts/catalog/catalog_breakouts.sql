{#-
    The movies outside the tracked set whose popularity jumps against their own history, over the last
    var breakout_days export days: a robust z-score >= var breakout_min_robust_z, or a climb of the percentile in
    the day's catalog >= var breakout_min_percentile_climb over 7 days, with popularity >= var
    breakout_min_popularity. Tracked = the movie has a status row that day (the day's top-N or a movie the
    warehouse follows). A table over a few recent days of fct_movie_popularity_daily (row groups in day order).
-#}
{%- set latest = catalog_latest_day(ref('fct_movie_popularity_daily'), 'export_date') %}

with

recent as (

    select *
    from {{ ref('fct_movie_popularity_daily') }}
    where export_date > {{ latest }} - {{ var('breakout_days') }}

),

tracked as (

    select distinct movie_id, snapshot_date as export_date
    from {{ ref('fct_movie_status_daily') }}
    where snapshot_date > {{ latest }} - {{ var('breakout_days') }}

),

titles as (

    select movie_id, export_date, original_title
    from {{ ref('stg_tmdb__movie_catalog_daily') }}
    where export_date > {{ latest }} - {{ var('breakout_days') }}

),

candidates as (

    select
        r.movie_id,
        r.export_date,
        r.popularity,
        r.history_median,
        r.history_days,
        r.robust_z,
        r.popularity_percentile,
        r.percentile_7d_ago,
        r.percentile_climb_7d,
        r.catalog_rank,
        coalesce(r.robust_z >= {{ var('breakout_min_robust_z') }}, false) as by_robust_z,
        coalesce(r.percentile_climb_7d >= {{ var('breakout_min_percentile_climb') }}, false) as by_percentile_climb
    from recent r
    anti join tracked t on t.movie_id = r.movie_id and t.export_date = r.export_date
    where r.popularity >= {{ var('breakout_min_popularity') }}

),

breakouts as (

    select
        c.movie_id,
        c.export_date,
        t.original_title,
        c.popularity,
        c.history_median,
        c.history_days,
        c.robust_z,
        c.popularity_percentile,
        c.percentile_7d_ago,
        c.percentile_climb_7d,
        c.catalog_rank,
        c.by_robust_z,
        c.by_percentile_climb,
        cast(row_number() over (
            partition by c.export_date
            order by c.robust_z desc nulls last, c.percentile_climb_7d desc nulls last, c.movie_id
        ) as integer) as breakout_rank
    from candidates c
    left join titles t on t.movie_id = c.movie_id and t.export_date = c.export_date
    where c.by_robust_z or c.by_percentile_climb

)

select * from breakouts
