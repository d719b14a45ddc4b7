with

credits as (

    select * from {{ ref('stg_tmdb__credits') }}

),

movies as (

    select movie_id from {{ ref('stg_tmdb__movies') }}

),

directors as (

    select
        credits.movie_id,
        credits.person_id,
        credits.credit_id,
        count(*) over (partition by credits.movie_id) as director_count,

    from credits
    inner join movies on credits.movie_id = movies.movie_id
    where credits.credit_type = 'crew' and credits.job = 'Director'
    qualify row_number() over (partition by credits.movie_id, credits.person_id order by credits.credit_id) = 1

)

select * from directors
