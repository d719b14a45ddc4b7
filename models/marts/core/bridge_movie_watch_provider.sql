-- Where each movie can be watched: one row per movie, region, monetization type and provider.
with

offers as (

    select * from {{ ref('int_movie_watch_providers') }}

),

final as (

    select
        movie_id,
        region_code,
        monetization_type,
        provider_id,
        display_priority,
        watch_link,
        details_fetched_on as available_as_of

    from offers

)

select * from final
