with

companies as (

    select * from {{ ref('stg_tmdb__production_companies') }}

),

movies as (

    select movie_id from {{ ref('stg_tmdb__movies') }}

),

final as (

    select
        companies.movie_id,
        companies.company_id,
        companies.company_position,

    from companies
    inner join movies on companies.movie_id = movies.movie_id

)

select * from final
