using SkRerank.Movies;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Search;

/// <summary>Item 3 of #14: the director filter behaves like the genre filter; messages read without .NET suffixes.</summary>
public class SearchFilterResolutionTests
{
    [Theory]
    [InlineData("Nolan")]
    [InlineData("nolan")]
    [InlineData("christopher nol")]
    [InlineData("CHRISTOPHER NOLAN")]
    public async Task An_unambiguous_part_of_a_director_name_filters_by_that_director(string director)
    {
        using var fixture = new MovieSearchFixture();
        var response = await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman", Director = director });
        Assert.NotEmpty(response.Results);
        Assert.All(response.Results, r => Assert.Equal("Christopher Nolan", r.Movie.Director));
    }

    [Fact]
    public async Task An_unknown_director_is_an_error_with_close_matches()
    {
        using var fixture = new MovieSearchFixture();
        var ex = await Assert.ThrowsAsync<SearchArgumentException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = "x", Director = "Spielburg" }));
        Assert.Equal("No movie in the catalogue is directed by 'Spielburg'. Close matches: Steven Spielberg.", ex.Message);
        Assert.Equal("director", ex.ParamName);
    }

    [Fact]
    public void A_part_shared_by_several_directors_lists_them()
    {
        var catalog = new MovieCatalog();
        catalog.Set(MovieSearchFixture.SampleMovies.Append(new Movie { Id = 8, Title = "T", Overview = "o", Director = "Tony Scott" }));
        var ex = Assert.Throws<SearchArgumentException>(() => catalog.ResolveDirector("scott"));
        Assert.Equal("Director 'scott' matches 2 directors: Ridley Scott, Tony Scott. Give the full name.", ex.Message);
        Assert.Equal("Ridley Scott", catalog.ResolveDirector("ridley"));
        // Word starts only: "cott" is not a part of a name a person would type.
        Assert.Throws<SearchArgumentException>(() => catalog.ResolveDirector("cott"));
    }

    [Fact]
    public void Accents_do_not_matter()
    {
        var catalog = new MovieCatalog();
        catalog.Set([new Movie { Id = 0, Title = "Birdman", Overview = "o", Director = "Alejandro González Iñárritu" }]);
        Assert.Equal("Alejandro González Iñárritu", catalog.ResolveDirector("inarritu"));
    }

    [Fact]
    public async Task Fewer_candidates_than_results_is_an_error_not_a_silent_change()
    {
        using var fixture = new MovieSearchFixture();
        var ex = await Assert.ThrowsAsync<SearchArgumentException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = "x", TopN = 5, Candidates = 3 }));
        Assert.Equal("candidates (3) must be at least top_n (5): the reranker picks the top 5 from the candidates.", ex.Message);
        Assert.DoesNotContain("Parameter", ex.Message);
    }

    [Fact]
    public async Task A_huge_query_is_refused_with_the_limit()
    {
        using var fixture = new MovieSearchFixture();
        var ex = await Assert.ThrowsAsync<SearchArgumentException>(() =>
            fixture.Search.SearchAsync(new MovieSearchRequest { Query = new string('a', MovieSearchService.MaxQueryLength + 1) }));
        Assert.Contains("the limit is 10,000", ex.Message);
    }
}
