using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Search;

public sealed class QueryExclusionRerankerTests
{
    private const string Query = "vampire movies that are scary, not teen romance like Twilight";
    private const string Wanted = "vampire movies that are scary";

    private static readonly string[] Documents =
    [
        "Twilight: a teen romance between a girl and a vampire.",
        "Scary vampire movies: a village hunted by vampires at night.",
        "A romance on a teen summer holiday.",
    ];

    [Fact]
    public async Task The_inner_reranker_scores_only_the_wanted_part_of_the_query()
    {
        var recording = new RecordingReranker();
        using var reranker = recording.AsBuilder().UseQueryExclusion().Build();

        var results = await reranker.RerankAsync(Query, Documents);

        Assert.Equal(Wanted, Assert.Single(recording.Calls).Query);
        Assert.Equal(await new RecordingReranker().RerankAsync(Wanted, Documents), results);
    }

    [Fact]
    public async Task A_query_without_an_exclusion_reaches_the_inner_reranker_whole()
    {
        var recording = new RecordingReranker();
        using var reranker = new QueryExclusionReranker(recording);

        await reranker.RerankAsync("a robot that is not what it seems", Documents);

        Assert.Equal("a robot that is not what it seems", Assert.Single(recording.Calls).Query);
    }

    [Fact]
    public async Task Query_preparation_is_forwarded_with_the_wanted_part()
    {
        var preparing = new PreparingReranker();
        using var reranker = preparing.AsBuilder().UseQueryExclusion().Build();

        var preparer = reranker.GetService<IQueryPreparingReranker>();
        Assert.IsType<QueryExclusionReranker>(preparer);
        await preparer!.PrepareQueryAsync(Query);

        Assert.Equal([Wanted], preparing.Prepared);
    }

    [Fact]
    public void It_offers_query_preparation_only_when_the_inner_reranker_prepares_queries()
    {
        using var reranker = new QueryExclusionReranker(new RecordingReranker());

        Assert.Null(reranker.GetService<IQueryPreparingReranker>());
        Assert.IsType<RecordingReranker>(reranker.GetService<RecordingReranker>());
    }

    /// <summary>Records prepared queries; reranks in document order.</summary>
    private sealed class PreparingReranker : IQueryPreparingReranker
    {
        public List<string> Prepared { get; } = [];

        public RerankerMetadata Metadata { get; } = new("test", "preparing");

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }

        public Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default)
        {
            Prepared.Add(query);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<RerankResult>> RerankAsync(
            string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RerankResult>>(documents.Select((_, i) => new RerankResult(i, -i)).ToList());
    }
}
