-- Every watch provider (JustWatch's data via TMDB): TMDB's provider lists of the configured regions, plus the
-- providers movies' offers name that those lists lack (an unconfigured region), flagged.
with

listed as (

    select * from {{ ref('stg_tmdb__watch_providers') }}

),

offers as (

    select * from {{ ref('int_movie_watch_providers') }}

),

listed_providers as (

    select
        provider_id,
        {{ first_by('provider_name', 'display_priority') }} as provider_name,
        {{ first_by('logo_path', 'display_priority') }} as logo_path,
        {{ ordered_list('region_code', 'region_code') }} as listed_region_codes
    from listed
    group by provider_id

),

offered as (

    select
        provider_id,
        {{ first_by('provider_name', 'display_priority') }} as provider_name,
        {{ first_by('logo_path', 'display_priority') }} as logo_path,
        count(distinct movie_id) as movie_count,
        count(distinct region_code) as offer_region_count
    from offers
    group by provider_id

),

final as (

    select
        coalesce(listed_providers.provider_id, offered.provider_id) as provider_id,
        coalesce(listed_providers.provider_name, offered.provider_name) as provider_name,
        coalesce(listed_providers.logo_path, offered.logo_path) as logo_path,
        coalesce(listed_providers.listed_region_codes, {{ empty_list() }}) as listed_region_codes,
        listed_providers.provider_id is not null as is_in_provider_list,
        coalesce(offered.movie_count, 0) as movie_count,
        coalesce(offered.offer_region_count, 0) as offer_region_count

    from listed_providers
    full outer join offered on listed_providers.provider_id = offered.provider_id

)

select * from final
