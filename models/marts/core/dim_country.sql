-- Countries: TMDB's country list, plus one explicit unknown member for any code TMDB does not list (or
-- NULL), so that every production country and company origin resolves.
with

listed as (

    select * from {{ ref('stg_tmdb__countries') }}

),

production as (

    select * from {{ ref('bridge_movie_country') }}

),

members as (

    select country_code, country_name, native_name, true as is_in_tmdb_list from listed
    union all
    select {{ unknown_member() }}

),

movie_counts as (

    select country_code, count(distinct movie_id) as movie_count
    from production
    group by country_code

),

final as (

    select
        members.country_code,
        members.country_name,
        members.native_name,
        members.is_in_tmdb_list,
        coalesce(movie_counts.movie_count, 0) as movie_count

    from members
    left join movie_counts on members.country_code = movie_counts.country_code

)

select * from final
