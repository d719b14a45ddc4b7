with

companies as (

    select * from {{ ref('stg_tmdb__production_companies') }}

),

movies as (

    select movie_id, details_row_id from {{ ref('int_movies') }}

),

final as (

    select
        movies.movie_id,
        companies.company_id,
        companies.company_position

    from companies
    inner join movies on companies.details_row_id = movies.details_row_id

)

select * from final
