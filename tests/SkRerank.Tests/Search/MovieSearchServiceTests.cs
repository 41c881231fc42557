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
    public async Task A_reranker_that_outlives_the_search_budget_fails_open_with_the_reason()
    {
        var hanging = new HangingReranker();
        using var fixture = new MovieSearchFixture(hanging, o => o.Timeout = TimeSpan.FromMilliseconds(300));

        var response = await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman" });

        Assert.True(hanging.SawCancellation);
        Assert.False(response.Reranked);
        Assert.Contains("time budget", response.RerankError);
        Assert.Contains("--timeout", response.RerankError);
        Assert.Equal(response.Candidates.Take(3).Select(c => c.Movie.Id), response.Results.Select(r => r.Movie.Id));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_mistaken_for_the_budget()
    {
        using var fixture = new MovieSearchFixture(new HangingReranker(), o => o.Timeout = TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman" }, cancel.Token));
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
        var ex = await Assert.ThrowsAsync<SearchArgumentException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = "x", Genre = "cooking" }));
        Assert.Contains("Unknown genre 'cooking'", ex.Message);
        Assert.DoesNotContain("Parameter", ex.Message);
        Assert.Equal("genre", ex.ParamName);
        Assert.Contains("Science Fiction", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_query_is_refused(string query)
    {
        using var fixture = new MovieSearchFixture();
        var ex = await Assert.ThrowsAsync<SearchArgumentException>(() => fixture.Search.SearchAsync(new MovieSearchRequest { Query = query }));
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

    [Fact]
    public async Task By_default_the_reranker_does_its_query_work_when_it_reranks_not_ahead_of_time()
    {
        var reranker = new PreparingReranker();
        using var fixture = new MovieSearchFixture(reranker);

        await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman gotham crime" });
        await Task.Delay(100); // a head start would run in the background

        Assert.Empty(reranker.Prepared);
        Assert.Equal(1, reranker.Reranks);
    }

    [Fact]
    public async Task With_a_head_start_the_reranker_prepares_the_full_query_before_reranking()
    {
        var reranker = new PreparingReranker();
        using var fixture = new MovieSearchFixture(reranker, o => o.RerankerQueryHeadStart = true);

        await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "space survival, not a love story" });

        // The reranker strips the exclusion itself where its signals need it; the head start gets what RerankAsync gets.
        Assert.Equal("space survival, not a love story", await reranker.Prepared.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, reranker.Reranks);
    }

    [Fact]
    public async Task A_head_start_is_skipped_when_reranking_is()
    {
        var reranker = new PreparingReranker();
        using var fixture = new MovieSearchFixture(reranker, o => o.RerankerQueryHeadStart = true);

        await fixture.Search.SearchAsync(new MovieSearchRequest { Query = "batman", SkipReranking = true });
        await Task.Delay(100);

        Assert.Empty(reranker.Prepared);
        Assert.Equal(0, reranker.Reranks);
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

    /// <summary>Records <see cref="SkRerank.Reranking.IQueryPreparingReranker.PrepareQueryAsync"/> calls.</summary>
    private sealed class PreparingReranker : SkRerank.Reranking.IQueryPreparingReranker
    {
        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
        public void Dispose() { }

        private readonly RecordingReranker _inner = new();

        public PreparedQueries Prepared { get; } = new();

        public int Reranks => _inner.Calls.Count;

        public SkRerank.Reranking.RerankerMetadata Metadata => _inner.Metadata;

        public Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default)
        {
            Prepared.Add(query);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<SkRerank.Reranking.RerankResult>> RerankAsync(
            string query, IReadOnlyList<string> documents, SkRerank.Reranking.RerankOptions? options = null, CancellationToken cancellationToken = default) =>
            _inner.RerankAsync(query, documents, options, cancellationToken);
    }

    /// <summary>Queries prepared so far; the head start runs in the background, so a test awaits the first.</summary>
    private sealed class PreparedQueries : List<string>
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Task => _first.Task;

        public new void Add(string query)
        {
            lock (this) base.Add(query);
            _first.TrySetResult(query);
        }
    }
}
