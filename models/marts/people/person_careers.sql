-- One row per person and role (director, top-billed cast): how many films, over which years, how well rated, how
-- much they made and returned, and the genre the person works in most.
with

filmography as (

    select * from {{ ref('person_filmography') }}

),

people as (

    select * from {{ ref('dim_person') }}

),

genres as (

    select person_id, role, genre_name, count(*) as films
    from filmography, unnest(genre_names) as g(genre_name)
    group by person_id, role, genre_name

),

top_genre as (

    select person_id, role, genre_name
    from genres
    qualify row_number() over (partition by person_id, role order by films desc, genre_name) = 1

),

careers as (

    select
        person_id,
        role,
        count(*) as movie_count,
        min(release_year) as first_year,
        max(release_year) as last_year,
        round({{ exact_avg("vote_average") }}, 2) as avg_vote_average,
        sum(revenue_usd) as total_revenue_usd,
        median(roi) as median_roi,
        count(roi) as movies_with_roi,
    from filmography
    group by person_id, role

),

final as (

    select
        careers.person_id,
        people.person_name,
        careers.role,
        careers.movie_count,
        careers.first_year,
        careers.last_year,
        careers.avg_vote_average,
        careers.total_revenue_usd,
        careers.median_roi,
        careers.movies_with_roi,
        top_genre.genre_name as top_genre_name,

    from careers
    inner join people on careers.person_id = people.person_id
    left join top_genre on careers.person_id = top_genre.person_id and careers.role = top_genre.role

)

select * from final
