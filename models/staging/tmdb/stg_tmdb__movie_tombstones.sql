with

source as (

    -- no table before the first deletion: see the macro
    {{ source_or_empty('tmdb', 'movie_tombstones', tombstone_columns('movie_id')) }}

),

renamed as (

    select
        movie_id,
        detected_on as deleted_on,
        http_status,
        tmdb_status_code,
        {{ empty_to_null('tmdb_status_message') }} as tmdb_status_message,
        _dlt_load_id as load_id

    from source
    where movie_id is not null
    qualify row_number() over (partition by movie_id order by detected_on desc, _dlt_load_id desc) = 1

)

select * from renamed
