with

source as (

    -- no table before the first person answers 404: see the macro
    {{ source_or_empty('tmdb_people', 'person_tombstones', tombstone_columns('person_id')) }}

),

renamed as (

    select
        person_id,
        detected_on as deleted_on,
        http_status,
        tmdb_status_code,
        {{ empty_to_null('tmdb_status_message') }} as tmdb_status_message,
        _dlt_load_id as load_id

    from source
    where person_id is not null
    qualify row_number() over (partition by person_id order by detected_on desc, _dlt_load_id desc) = 1

)

select * from renamed
