-- One row per item of a movie_details row's list, linked to that row by `details_row_id` (dlt's _dlt_root_id);
-- int_movies resolves the row to its movie (the latest details of each movie).
with

source as (

    select * from {{ source('tmdb', 'movie_details__genres') }}

),

renamed as (

    select
        source._dlt_root_id as details_row_id,
        source.id as genre_id,
        {{ empty_to_null('source.name') }} as genre_name,
        cast(source._dlt_list_idx + 1 as integer) as genre_position

    from source
    where source.id is not null
    qualify row_number() over (partition by source._dlt_root_id, source.id order by source._dlt_list_idx) = 1

)

select * from renamed
