-- One row per watch offer of a movie_details row (JustWatch's data, via TMDB): region, monetization type
-- (flatrate, rent, buy, free, ads), provider, its display priority and TMDB's watch link for the region.
-- int_movie_watch_providers resolves the row to its movie.
with

source as (

    {{ source_or_empty('tmdb', 'movie_details__watch_providers', {
        '_dlt_root_id': 'varchar', '_dlt_list_idx': 'bigint', 'region': 'varchar', 'link': 'varchar',
        'monetization_type': 'varchar', 'provider_id': 'bigint', 'provider_name': 'varchar',
        'logo_path': 'varchar', 'display_priority': 'bigint',
    }) }}

),

renamed as (

    select
        _dlt_root_id as details_row_id,
        upper({{ empty_to_null('region') }}) as region_code,
        lower({{ empty_to_null('monetization_type') }}) as monetization_type,
        provider_id,
        {{ empty_to_null('provider_name') }} as provider_name,
        {{ empty_to_null('logo_path') }} as logo_path,
        cast(display_priority as integer) as display_priority,
        {{ empty_to_null('link') }} as watch_link

    from source
    where provider_id is not null and {{ empty_to_null('region') }} is not null
    qualify row_number() over (
        partition by _dlt_root_id, upper(trim(region)), lower(trim(monetization_type)), provider_id
        order by _dlt_list_idx
    ) = 1

)

select * from renamed
