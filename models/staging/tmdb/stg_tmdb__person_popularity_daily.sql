with

source as (

    -- no table before the first person export is loaded: see the macro
    {{ source_or_empty('tmdb_people', 'person_popularity_daily', {
        'person_id': 'bigint',
        'export_date': 'date',
        'popularity': 'double',
        'adult': 'boolean',
        'name': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}

),

renamed as (

    select
        person_id,
        export_date,
        popularity,
        adult as is_adult,
        {{ empty_to_null('name') }} as person_name,
        _dlt_load_id as load_id

    from source
    where person_id is not null and export_date is not null and popularity is not null
    qualify row_number() over (partition by person_id, export_date order by _dlt_load_id desc) = 1

)

select * from renamed
