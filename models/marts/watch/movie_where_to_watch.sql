-- Where to watch each movie, one row per movie and region: the providers of each monetization type, best
-- display priority first, and TMDB's watch link for the region.
with

offers as (

    select * from {{ ref('bridge_movie_watch_provider') }}

),

providers as (

    select * from {{ ref('dim_watch_provider') }}

),

movies as (

    select * from {{ ref('dim_movie') }}

),

named as (

    select offers.*, providers.provider_name
    from offers
    inner join providers on offers.provider_id = providers.provider_id

),

by_region as (

    select
        movie_id,
        region_code,
        any_value(watch_link) as watch_link,
        {% for kind in ['flatrate', 'free', 'ads', 'rent', 'buy'] -%}
        coalesce(
            list(provider_name order by display_priority nulls last, provider_name)
                filter (where monetization_type = '{{ kind }}'),
            []
        ) as {{ kind }}_providers,
        {% endfor -%}
        count(distinct provider_id) as provider_count,
        max(available_as_of) as available_as_of,
    from named
    group by movie_id, region_code

),

final as (

    select
        by_region.movie_id,
        movies.title,
        by_region.region_code,
        by_region.flatrate_providers,
        by_region.free_providers,
        by_region.ads_providers,
        by_region.rent_providers,
        by_region.buy_providers,
        by_region.provider_count,
        -- the cheapest way to watch, for a fan: included in a subscription, free, with ads, rent, buy
        case
            when len(by_region.flatrate_providers) > 0 then 'stream'
            when len(by_region.free_providers) > 0 then 'free'
            when len(by_region.ads_providers) > 0 then 'ads'
            when len(by_region.rent_providers) > 0 then 'rent'
            else 'buy'
        end as cheapest_way,
        by_region.watch_link,
        by_region.available_as_of,

    from by_region
    inner join movies on by_region.movie_id = movies.movie_id

)

select * from final
