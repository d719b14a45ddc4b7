-- Languages: TMDB's language list, plus one explicit unknown member for any code TMDB does not list (or
-- NULL), so that every movie's original and spoken languages resolve.
with

listed as (

    select * from {{ ref('stg_tmdb__languages') }}

),

movies as (

    select * from {{ ref('dim_movie') }}

),

spoken as (

    select * from {{ ref('bridge_movie_spoken_language') }}

),

members as (

    select language_code, language_name, native_name, true as is_in_tmdb_list from listed
    union all
    select {{ unknown_member() }}

),

original_counts as (

    select original_language_code as language_code, count(*) as original_language_movie_count
    from movies
    group by original_language_code

),

spoken_counts as (

    select language_code, count(distinct movie_id) as spoken_language_movie_count
    from spoken
    group by language_code

),

final as (

    select
        members.language_code,
        members.language_name,
        members.native_name,
        members.is_in_tmdb_list,
        coalesce(original_counts.original_language_movie_count, 0) as original_language_movie_count,
        coalesce(spoken_counts.spoken_language_movie_count, 0) as spoken_language_movie_count

    from members
    left join original_counts on members.language_code = original_counts.language_code
    left join spoken_counts on members.language_code = spoken_counts.language_code

)

select * from final
