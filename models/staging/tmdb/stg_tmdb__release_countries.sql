-- One row per country of a movie_details row's `release_dates`; stg_tmdb__release_dates holds its releases
-- (linked by `release_country_row_id`), int_movie_releases resolves both to the movie.
with

source as (

    {{ source_or_empty('tmdb', 'movie_details__release_dates__results', {
        '_dlt_id': 'varchar', '_dlt_root_id': 'varchar', '_dlt_list_idx': 'bigint', 'iso_3166_1': 'varchar',
    }) }}

),

renamed as (

    select
        _dlt_id as release_country_row_id,
        _dlt_root_id as details_row_id,
        upper({{ empty_to_null('iso_3166_1') }}) as country_code,
        {{ list_position() }} as country_position

    from source

)

select * from renamed
