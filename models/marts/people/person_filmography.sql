-- One row per person, movie and role (director, or top-billed cast): the films a person's career is made of,
-- with what the marts know of each film (year, rating, revenue, ROI, genres).
with

directors as (

    select movie_id, person_id, 'director' as role, cast(null as varchar) as character_name, 0 as billing_position
    from {{ ref('bridge_movie_director') }}

),

cast_members as (

    select movie_id, person_id, 'cast' as role, character_name, billing_position
    from {{ ref('bridge_movie_top_cast') }}

),

movies as (

    select * from {{ ref('dim_movie') }}

),

financials as (

    select * from {{ ref('fct_movie_financials') }}

),

credits as (

    select * from directors
    union all
    select * from cast_members

),

final as (

    select
        credits.person_id,
        credits.movie_id,
        credits.role,
        credits.character_name,
        credits.billing_position,
        movies.title,
        movies.release_year,
        movies.genre_names,
        movies.primary_genre_name,
        movies.vote_average,
        movies.vote_count,
        financials.revenue_usd,
        financials.roi,

    from credits
    inner join movies on credits.movie_id = movies.movie_id
    left join financials on credits.movie_id = financials.movie_id
    where not movies.is_deleted

)

select * from final
