{#-
    The average of a floating-point column, summed exactly: DuckDB adds doubles across threads in no fixed order,
    so a rounded double average that lands on a half can round either way between two identical builds.
    Averaging in decimal(18, 6) (TMDB's votes, runtimes and popularity carry fewer decimals) gives the same digits
    every time.
-#}
{%- macro exact_avg(column) -%}
    avg(cast({{ column }} as decimal(18, 6)))
{%- endmacro -%}
