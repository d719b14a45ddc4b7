-- Languages: spoken languages of the movies, plus original languages no movie lists as spoken.
with

spoken as (

    select * from {{ ref('stg_tmdb__spoken_languages') }}

),

movies as (

    select * from {{ ref('stg_tmdb__movies') }}

),

named as (

    select
        language_code,
        mode(language_english_name) as language_name,
        mode(language_native_name) as native_name,
    from spoken
    group by language_code

),

codes as (

    select language_code from named
    union
    select original_language_code from movies where original_language_code is not null

),

original_counts as (

    select original_language_code as language_code, count(*) as original_language_movie_count
    from movies
    where original_language_code is not null
    group by original_language_code

),

spoken_counts as (

    select language_code, count(distinct movie_id) as spoken_language_movie_count
    from spoken
    group by language_code

),

final as (

    select
        codes.language_code,
        coalesce(named.language_name, codes.language_code) as language_name,
        named.native_name,
        coalesce(original_counts.original_language_movie_count, 0) as original_language_movie_count,
        coalesce(spoken_counts.spoken_language_movie_count, 0) as spoken_language_movie_count,

    from codes
    left join named on codes.language_code = named.language_code
    left join original_counts on codes.language_code = original_counts.language_code
    left join spoken_counts on codes.language_code = spoken_counts.language_code

)

select * from final
