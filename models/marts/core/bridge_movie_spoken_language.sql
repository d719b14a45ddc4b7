with

spoken as (

    select * from {{ ref('stg_tmdb__spoken_languages') }}

),

movies as (

    select movie_id, details_row_id from {{ ref('int_movies') }}

),

resolved as (

    select
        movies.movie_id,
        {{ listed_code_or_unknown('spoken.language_code', ref('stg_tmdb__languages'), 'language_code') }}
            as language_code,
        spoken.language_code as tmdb_language_code,
        spoken.language_position

    from spoken
    inner join movies on spoken.details_row_id = movies.details_row_id

),

final as (

    select * from resolved
    -- two codes TMDB's list lacks both resolve to the unknown member: one row, the first listed
    {{ first_of_each_in_list('movie_id', 'language_code', 'language_position') }}

)

select * from final
