with

source as (

    -- warehouses loaded before the reference lists were ingested have no table yet: see the macro
    {{ source_or_empty('tmdb', 'languages', {
        'iso_639_1': dbt.type_string(),
        'english_name': dbt.type_string(),
        'name': dbt.type_string(),
        '_dlt_load_id': dbt.type_string(),
    }) }}

),

renamed as (

    select
        lower({{ empty_to_null('iso_639_1') }}) as language_code,
        {{ empty_to_null('english_name') }} as language_name,
        {{ empty_to_null('name') }} as native_name,
        _dlt_load_id as load_id

    from source
    where {{ empty_to_null('iso_639_1') }} is not null
    qualify row_number() over (partition by lower(trim(iso_639_1)) order by _dlt_load_id desc) = 1

)

select * from renamed
