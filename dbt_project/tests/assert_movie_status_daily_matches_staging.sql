-- The incremental fact holds exactly the rows staging derives from raw: nothing dropped, duplicated or stale
-- after any sequence of incremental runs. Fails with the differing rows.
with

staged as (

    select movie_id, snapshot_date, popularity, vote_count, vote_average, {{ load_id_number('load_id') }} as load_id
    from {{ ref('stg_tmdb__movie_status') }}

),

fact as (

    select movie_id, snapshot_date, popularity, vote_count, vote_average, load_id
    from {{ ref('fct_movie_status_daily') }}

),

missing as (

    select 'missing from the fact' as problem, * from (select * from staged except all select * from fact)

),

extra as (

    select 'not in staging' as problem, * from (select * from fact except all select * from staged)

)

select * from missing
union all
select * from extra
