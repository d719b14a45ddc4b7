with

source as (

    select * from {{ source('tmdb', 'movie_details__spoken_languages') }}

),

movies as (

    {{ tmdb_latest_movie_details() }}

),

renamed as (

    select
        movies.movie_id,
        lower({{ empty_to_null('source.iso_639_1') }}) as language_code,
        {{ empty_to_null('source.english_name') }} as language_english_name,
        {{ empty_to_null('source.name') }} as language_native_name,
        cast(source._dlt_list_idx + 1 as integer) as language_position,
        movies.details_fetched_on,

    from source
    inner join movies on source._dlt_root_id = movies.details_row_id
    where {{ empty_to_null('source.iso_639_1') }} is not null
    qualify row_number() over (
        partition by movies.movie_id, lower(trim(source.iso_639_1)) order by source._dlt_list_idx
    ) = 1

)

select * from renamed
