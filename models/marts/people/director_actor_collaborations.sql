-- One row per director and top-billed actor who made films together: how many, over which years, how well rated.
with

filmography as (

    select * from {{ ref('person_filmography') }}

),

people as (

    select * from {{ ref('dim_person') }}

),

pairs as (

    select
        directors.person_id as director_id,
        actors.person_id as actor_id,
        count(*) as movie_count,
        min(directors.release_year) as first_year,
        max(directors.release_year) as last_year,
        round({{ exact_avg("directors.vote_average") }}, 2) as avg_vote_average,
    from filmography as directors
    inner join filmography as actors
        on directors.movie_id = actors.movie_id and actors.role = 'cast' and directors.person_id != actors.person_id
    where directors.role = 'director'
    group by directors.person_id, actors.person_id

),

final as (

    select
        pairs.director_id,
        director.person_name as director_name,
        pairs.actor_id,
        actor.person_name as actor_name,
        pairs.movie_count,
        pairs.first_year,
        pairs.last_year,
        pairs.avg_vote_average,
    from pairs
    inner join people as director on pairs.director_id = director.person_id
    inner join people as actor on pairs.actor_id = actor.person_id

)

select * from final
