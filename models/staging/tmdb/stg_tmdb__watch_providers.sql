-- TMDB's watch providers per configured region (JustWatch's data): one row per region and provider, with the
-- provider's display priority in that region (lower shows first).
with

source as (

    {{ source_or_empty('tmdb', 'watch_providers', {
        'watch_region': 'varchar', 'provider_id': 'bigint', 'provider_name': 'varchar', 'logo_path': 'varchar',
        'display_priority': 'bigint',
    }) }}

),

renamed as (

    select
        upper({{ empty_to_null('watch_region') }}) as region_code,
        provider_id,
        {{ empty_to_null('provider_name') }} as provider_name,
        {{ empty_to_null('logo_path') }} as logo_path,
        cast(display_priority as integer) as display_priority

    from source
    where provider_id is not null and {{ empty_to_null('watch_region') }} is not null
    qualify row_number() over (partition by upper(trim(watch_region)), provider_id order by display_priority) = 1

)

select * from renamed
