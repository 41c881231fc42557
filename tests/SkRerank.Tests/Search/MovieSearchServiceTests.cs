using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Search;

public class MovieSearchServiceTests
{
    [Fact]
    public async Task Reranks_the_first_stage_candidates_and_reports_where_each_came_from()
    {
        var reranker = new RecordingReranker();
        using var fixture = new MovieSearchFixture(reranker);

        var response = await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman gotham crime", TopN = 2 });

        Assert.True(response.Reranked);
        Assert.Equal(6, response.Candidates.Count);
        Assert.Equal(2, response.Results.Count);
        var call = Assert.Single(reranker.Calls);
        Assert.Equal(6, call.Documents.Count);
        Assert.Equal(2, call.TopN);
        Assert.All(response.Results, r => Assert.Contains("Batman", r.Movie.Overview + r.Movie.Title));
        Assert.All(response.Results, r => Assert.Equal(response.Candidates[r.CandidateRank - 1].Movie.Id, r.Movie.Id));
        Assert.Equal([1, 2], response.Results.Select(r => r.Rank));
        Assert.True(response.Timings.EmbedMs >= 0 && response.Timings.SearchMs >= 0 && response.Timings.RerankMs >= 0);
    }

    [Fact]
    public async Task The_reranker_reads_all_movie_fields_by_default()
    {
        var reranker = new RecordingReranker();
        using var fixture = new MovieSearchFixture(reranker);
        await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "christopher nolan space" });
        Assert.Contains(reranker.Calls[0].Documents, d => d.Contains("Director: Christopher Nolan") && d.Contains("Genres: "));
    }

    [Fact]
    public async Task A_failing_reranker_falls_back_to_first_stage_order_visibly()
    {
        var failing = new FailingReranker(new HttpRequestException("rerank endpoint unreachable"));
        using var fixture = new MovieSearchFixture(failing);

        var response = await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman" });

        Assert.False(response.Reranked);
        Assert.Equal("rerank endpoint unreachable", response.RerankError);
        Assert.Equal(response.Candidates.Take(3).Select(c => c.Movie.Id), response.Results.Select(r => r.Movie.Id));
        Assert.Equal(1, failing.Calls);
    }

    [Fact]
    public async Task With_fail_open_off_a_reranker_error_reaches_the_caller()
    {
        using var fixture = new MovieSearchFixture(new FailingReranker(new InvalidOperationException("boom")), o => o.FailOpen = false);
        await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman" }));
    }

    [Fact]
    public async Task Cancellation_is_not_swallowed_by_fail_open()
    {
        using var fixture = new MovieSearchFixture(new FailingReranker(new OperationCanceledException()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman" }));
    }

    [Theory]
    [InlineData("action", null, new[] { 0, 1, 7 })]
    [InlineData("sci-fi", null, new[] { 2, 5, 6 })]
    [InlineData(null, "christopher nolan", new[] { 0, 1, 2 })]
    [InlineData("Science Fiction", "Steven Spielberg", new[] { 5 })]
    public async Task Genre_and_director_filters_restrict_the_candidates(string? genre, string? director, int[] allowed)
    {
        using var fixture = new MovieSearchFixture();
        var response = await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "a movie", Genre = genre, Director = director, TopN = 5 });
        Assert.NotEmpty(response.Results);
        Assert.All(response.Candidates, c => Assert.Contains(c.Movie.Id, allowed));
        Assert.Equal(allowed.Length, response.Candidates.Count);
    }

    [Fact]
    public async Task An_unknown_genre_is_a_readable_error()
    {
        using var fixture = new MovieSearchFixture();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = "x", Genre = "cooking" }));
        Assert.Contains("Unknown genre 'cooking'", ex.Message);
        Assert.Contains("Science Fiction", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_query_is_refused(string query)
    {
        using var fixture = new MovieSearchFixture();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = query }));
        Assert.Contains("query is empty", ex.Message);
    }

    [Fact]
    public async Task A_minimum_relevance_score_drops_weak_results()
    {
        using var fixture = new MovieSearchFixture(new RecordingReranker(), o => o.MinRelevanceScore = 0.0001);
        var response = await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "shark beach", TopN = 5 });
        Assert.True(response.Reranked);
        Assert.All(response.Results, r => Assert.True(r.RelevanceScore >= 0.0001));
        Assert.Equal("Jaws", response.Results[0].Movie.Title);
        Assert.True(response.Results.Count < 5, "movies that share no word with the query score 0 under BM25 and are dropped");
    }

    [Fact]
    public async Task An_exclusion_is_left_out_of_the_first_stage_but_reaches_the_reranker()
    {
        var reranker = new RecordingReranker();
        using var fixture = new MovieSearchFixture(reranker);
        await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "space survival, not a love story" });
        Assert.Equal("space survival, not a love story", reranker.Calls[0].Query);
        Assert.Contains(fixture.Embedder.InputTypes, t => t == SkRerank.Embeddings.EmbeddingInputType.Query);
    }

    [Theory]
    [InlineData("vampire movies that are scary or action-packed, not teen romance like Twilight", "vampire movies that are scary or action-packed", "teen romance like Twilight")]
    [InlineData("sci-fi about human clones (not the Star Wars clone army)", "sci-fi about human clones", "Star Wars clone army")]
    [InlineData("a robot that is not what it seems", "a robot that is not what it seems", null)]
    [InlineData("a world without electricity", "a world without electricity", null)]
    [InlineData("heist movies but not comedies", "heist movies", "comedies")]
    public void Exclusions_are_split_only_when_set_off(string query, string wanted, string? excluded)
    {
        var parts = QueryExclusion.Split(query);
        Assert.Equal(wanted, parts.Wanted);
        Assert.Equal(excluded, parts.Excluded);
    }
}
