using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Data;
using SkRerank.Reranking;
using SkRerank.TextSearch;

namespace SkRerank.Tests.TextSearch;

/// <summary>
/// The reranking decorator over SK's <see cref="VectorStoreTextSearch{TRecord}"/> on the FAQ, with the local offline
/// reranker: the order, what is kept, the errors, fail-open and cancellation.
/// </summary>
[Collection("faq")]
public sealed class RerankingTextSearchTests(FaqFixture faq)
{
    private const string RefundQuery = "how do I get my money back";

    private static async Task<List<T>> ListAsync<T>(KernelSearchResults<T> results)
    {
        var list = new List<T>();
        await foreach (var r in results.Results) list.Add(r);
        return list;
    }

    [Fact]
    public async Task Results_come_in_the_rerankers_order_of_the_whole_candidate_pool()
    {
        var options = new RerankingTextSearchOptions { CandidatePool = 12 };
        var search = faq.TextSearch.WithReranking(faq.Reranker, options);

        var results = await search.GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 3 });
        var reranked = await ListAsync(results);

        // What the reranker alone says about the same 12 candidates the inner search returns.
        var pool = await ListAsync(await faq.TextSearch.GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 12 }));
        var expected = await faq.Reranker.RerankAsync(RefundQuery, pool.Select(r => r.Value).ToList(), new RerankOptions { TopN = 3 });
        Assert.Equal(expected.Select(e => pool[e.Index].Name), reranked.Select(r => r.Name));
        Assert.Equal(expected.Select(e => e.RelevanceScore), (double[])results.Metadata![RerankedTextSearchMetadata.RelevanceScores]!);
        Assert.Equal(expected.Select(e => e.Index + 1), (int[])results.Metadata[RerankedTextSearchMetadata.CandidateRanks]!);
        Assert.Equal(true, results.Metadata[RerankedTextSearchMetadata.Reranked]);
    }

    [Fact]
    public async Task The_reranker_lifts_the_refund_answer_the_question_embedding_ranked_fourth()
    {
        var inner = await ListAsync(await faq.TextSearch.GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 5 }));
        var reranked = await ListAsync(await faq.TextSearch.WithReranking(faq.Reranker).GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 5 }));

        Assert.NotEqual("Can I cancel my plan?", inner[0].Name);
        Assert.Equal("Can I cancel my plan?", reranked[0].Name);
    }

    [Fact]
    public async Task Names_links_and_values_are_the_inner_results_own()
    {
        var results = await ListAsync(await faq.TextSearch.WithReranking(faq.Reranker).GetTextSearchResultsAsync(RefundQuery));

        Assert.Equal(TextSearchOptions.DefaultTop, results.Count);
        Assert.All(results, r =>
        {
            var entry = faq.Entries.Single(e => e.Question == r.Name);
            Assert.Equal(entry.Link, r.Link);
            Assert.Equal(entry.Answer, r.Value);
        });
    }

    [Fact]
    public async Task A_search_asks_the_inner_search_once_and_embeds_the_query_once()
    {
        faq.QueryEmbedder.Reset();
        await ListAsync(await faq.TextSearch.WithReranking(faq.Reranker).GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 5 }));

        Assert.Equal(1, faq.QueryEmbedder.Texts);
    }

    [Fact]
    public async Task Skip_pages_through_the_reranked_order()
    {
        var search = faq.TextSearch.WithReranking(faq.Reranker);

        var firstSix = await ListAsync(await search.SearchAsync(RefundQuery, new TextSearchOptions { Top = 6 }));
        var secondPage = await ListAsync(await search.SearchAsync(RefundQuery, new TextSearchOptions { Top = 3, Skip = 3 }));

        Assert.Equal(firstSix.Skip(3), secondPage);
    }

    [Fact]
    public async Task Records_are_reranked_by_their_TextSearchResultValue_and_filters_pass_through()
    {
        var records = await ListAsync(await faq.TextSearch.WithReranking(faq.Reranker).GetSearchResultsAsync(
            "money", new TextSearchOptions { Top = 3, Filter = new TextSearchFilter().Equality(nameof(FaqEntry.Category), "billing") }));

        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal("billing", ((FaqEntry)r).Category));
    }

    [Fact]
    public async Task The_typed_decorator_reranks_records_with_LINQ_filters_by_the_given_text()
    {
        ITextSearch<FaqEntry> typed = faq.TextSearch;
        var search = typed.WithReranking(faq.Reranker, e => e.RerankText);

        var results = await search.GetSearchResultsAsync(RefundQuery, new TextSearchOptions<FaqEntry> { Top = 2, Filter = e => e.Category == "billing" });
        var records = await ListAsync(results);

        var pool = await ListAsync(await typed.GetSearchResultsAsync(RefundQuery, new TextSearchOptions<FaqEntry> { Top = 25, Filter = e => e.Category == "billing" }));
        var expected = await faq.Reranker.RerankAsync(RefundQuery, pool.Select(e => e.RerankText).ToList(), new RerankOptions { TopN = 2 });
        Assert.Equal(expected.Select(e => pool[e.Index].Id), records.Select(r => r.Id));
        Assert.Equal("billing-refund", records[0].Id);
    }

    [Fact]
    public void Without_a_reranker_the_decorator_is_not_created()
    {
        var error = Assert.Throws<ArgumentNullException>(() => faq.TextSearch.WithReranking(null!));
        Assert.Contains("needs a reranker", error.Message);
    }

    [Fact]
    public async Task A_candidate_pool_smaller_than_the_results_asked_for_is_an_error()
    {
        var search = faq.TextSearch.WithReranking(faq.Reranker, new RerankingTextSearchOptions { CandidatePool = 4 });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => search.GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 5 }));

        Assert.Contains("candidate pool (4) is smaller than the 5 results", error.Message);
    }

    [Fact]
    public void A_typed_record_without_text_for_the_reranker_is_an_error_when_created()
    {
        ITextSearch<UntitledRecord> search = new VectorStoreTextSearch<UntitledRecord>(new SkRerank.VectorStore.InMemoryVectorStoreCollection<int, UntitledRecord>("x"));

        var error = Assert.Throws<ArgumentException>(() => new RerankingTextSearch<UntitledRecord>(search, faq.Reranker));

        Assert.Contains("needs the text of each UntitledRecord", error.Message);
    }

    [Fact]
    public async Task A_result_with_empty_text_is_an_error_naming_it()
    {
        ITextSearch<FaqEntry> typed = faq.TextSearch;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            typed.WithReranking(faq.Reranker, e => e.Id == "billing-refund" ? "" : e.RerankText).GetSearchResultsAsync(RefundQuery));

        Assert.Matches(@"Result \d+ of the inner text search \(FaqEntry\) has no text for the reranker", error.Message);
    }

    [Fact]
    public async Task A_failing_reranker_fails_open_visibly_to_the_inner_order()
    {
        var search = faq.TextSearch.WithReranking(new FailingReranker());

        var results = await search.GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 3 });

        var inner = await ListAsync(await faq.TextSearch.GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 3 }));
        Assert.Equal(inner.Select(r => r.Name), (await ListAsync(results)).Select(r => r.Name));
        Assert.Equal(false, results.Metadata![RerankedTextSearchMetadata.Reranked]);
        Assert.Equal("reranker down", results.Metadata[RerankedTextSearchMetadata.RerankError]);
    }

    [Fact]
    public async Task With_fail_open_off_the_rerankers_error_reaches_the_caller()
    {
        var search = faq.TextSearch.WithReranking(new FailingReranker(), new RerankingTextSearchOptions { FailOpen = false });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => search.GetTextSearchResultsAsync(RefundQuery));

        Assert.Equal("reranker down", error.Message);
    }

    [Fact]
    public async Task Cancellation_reaches_the_reranker_and_is_not_swallowed_by_fail_open()
    {
        using var cancellation = new CancellationTokenSource();
        var reranker = new CancellingReranker(cancellation);
        var search = faq.TextSearch.WithReranking(reranker);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search.GetTextSearchResultsAsync(RefundQuery, cancellationToken: cancellation.Token));

        Assert.True(reranker.SawToken);
    }

    [Fact]
    public async Task Registered_in_DI_it_decorates_SKs_vector_store_text_search_with_the_registered_reranker()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IVectorSearchable<FaqEntry>>(faq.Collection);
        services.AddSingleton<IReranker>(faq.Reranker);
        services.AddVectorStoreTextSearch<FaqEntry>();
        services.AddRerankingTextSearch<FaqEntry>(o => o.CandidatePool = 12);
        using var provider = services.BuildServiceProvider();

        var search = Assert.IsType<RerankingTextSearch>(provider.GetRequiredService<ITextSearch>());
        var results = await ListAsync(await search.GetTextSearchResultsAsync(RefundQuery, new TextSearchOptions { Top = 1 }));

        Assert.Equal(12, search.Options.CandidatePool);
        Assert.Equal("Can I cancel my plan?", Assert.Single(results).Name);
    }

    [Fact]
    public void Registered_in_DI_without_a_reranker_it_says_what_is_missing()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IVectorSearchable<FaqEntry>>(faq.Collection);
        services.AddVectorStoreTextSearch<FaqEntry>();
        services.AddRerankingTextSearch<FaqEntry>();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ITextSearch>());

        Assert.Contains("AddRerankingTextSearch needs an IReranker", error.Message);
    }

    public sealed class UntitledRecord
    {
        [VectorStoreKey] public int Id { get; set; }
        [VectorStoreVector(3)] public ReadOnlyMemory<float>? Vector { get; set; }
    }

    private sealed class FailingReranker : IReranker
    {
        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
        public void Dispose() { }

        public RerankerMetadata Metadata { get; } = new("test", "failing");

        public Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("reranker down");
    }

    private sealed class CancellingReranker(CancellationTokenSource source) : IReranker
    {
        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
        public void Dispose() { }

        public bool SawToken { get; private set; }

        public RerankerMetadata Metadata { get; } = new("test", "cancelling");

        public Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            SawToken = cancellationToken.CanBeCanceled;
            source.Cancel(); // the user gives up while the reranker runs
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<IReadOnlyList<RerankResult>>([]);
        }
    }
}
