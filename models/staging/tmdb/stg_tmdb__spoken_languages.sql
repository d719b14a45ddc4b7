-- One row per item of a movie_details row's list, linked to that row by `details_row_id` (dlt's _dlt_root_id);
-- int_movies resolves the row to its movie (the latest details of each movie).
with

source as (

    select * from {{ source('tmdb', 'movie_details__spoken_languages') }}

),

renamed as (

    select
        source._dlt_root_id as details_row_id,
        lower({{ empty_to_null('source.iso_639_1') }}) as language_code,
        {{ empty_to_null('source.english_name') }} as language_english_name,
        {{ empty_to_null('source.name') }} as language_native_name,
        cast(source._dlt_list_idx + 1 as integer) as language_position

    from source
    where {{ empty_to_null('source.iso_639_1') }} is not null
    qualify row_number() over (partition by source._dlt_root_id, lower(trim(source.iso_639_1)) order by source._dlt_list_idx) = 1

)

select * from renamed
