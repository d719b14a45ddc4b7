with

source as (

    -- warehouses loaded before the reference lists were ingested have no table yet: see the macro
    {{ source_or_empty('tmdb', 'countries', {
        'iso_3166_1': dbt.type_string(),
        'english_name': dbt.type_string(),
        'native_name': dbt.type_string(),
        '_dlt_load_id': dbt.type_string(),
    }) }}

),

renamed as (

    select
        upper({{ empty_to_null('iso_3166_1') }}) as country_code,
        {{ empty_to_null('english_name') }} as country_name,
        {{ empty_to_null('native_name') }} as native_name,
        _dlt_load_id as load_id

    from source
    where {{ empty_to_null('iso_3166_1') }} is not null
    qualify row_number() over (partition by upper(trim(iso_3166_1)) order by _dlt_load_id desc) = 1

)

select * from renamed
