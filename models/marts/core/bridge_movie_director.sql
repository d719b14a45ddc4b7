with

credits as (

    select * from {{ ref('int_movie_credits') }}

),

directors as (

    select
        credits.movie_id,
        credits.person_id,
        credits.credit_id,
        count(*) over (partition by credits.movie_id) as director_count

    from credits
    where credits.credit_type = 'crew' and credits.job = 'Director'
    qualify row_number() over (partition by credits.movie_id, credits.person_id order by credits.credit_id) = 1

)

select * from directors
