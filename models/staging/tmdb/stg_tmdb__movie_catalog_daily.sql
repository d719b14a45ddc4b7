with

source as (

    -- no table before the first export is loaded: see the macro
    {{ source_or_empty('tmdb_exports', 'movie_catalog_daily', {
        'movie_id': 'bigint',
        'export_date': 'date',
        'popularity': 'double',
        'adult': 'boolean',
        'video': 'boolean',
        'original_title': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}

),

renamed as (

    select
        movie_id,
        export_date,
        popularity,
        adult,
        video,
        {{ empty_to_null('original_title') }} as original_title,
        _dlt_load_id as load_id

    from source
    where movie_id is not null and export_date is not null and popularity is not null
    qualify row_number() over (partition by movie_id, export_date order by _dlt_load_id desc) = 1

)

select * from renamed
