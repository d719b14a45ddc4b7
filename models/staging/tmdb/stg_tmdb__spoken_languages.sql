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
        {{ list_position('source._dlt_list_idx') }} as language_position

    from source
    where {{ empty_to_null('source.iso_639_1') }} is not null
    {{ first_of_each_in_list('source._dlt_root_id', 'lower(trim(source.iso_639_1))', 'source._dlt_list_idx') }}

)

select * from renamed
