-- Every known version of each movie's attributes with its validity in days: answers "what did we know
-- about movie X on day D" with `where movie_id = X and D >= valid_from and D < valid_to`.
with

snapshot as (

    select * from {{ ref('movie_attributes_snapshot') }}

),

versions as (

    select
        movie_id,
        row_number() over (partition by movie_id order by dbt_valid_from) as version_number,
        cast(dbt_valid_from as date) as valid_from,
        cast(dbt_valid_to as date) as valid_to,
        dbt_valid_to = cast('9999-12-31' as timestamp) as is_current,
        title,
        overview,
        budget_usd,
        revenue_usd,
        runtime_minutes,
        release_status,
        release_date,
        collection_id,
        collection_name,
        is_deleted,
        dbt_scd_id as version_id

    from snapshot
    -- a version opened and closed on the same day (two runs the same day) never held at a day's end
    where dbt_valid_to > dbt_valid_from

)

select * from versions
