using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SkRerank.Evaluation;
using SkRerank.Telemetry;
using SkRerank.Reranking;
using SkRerank.Search;

namespace SkRerank.Tests.TextSearch;

/// <summary>The generic two-stage search on the FAQ: another record type, string keys, filters, and evaluation by key.</summary>
[Collection("faq")]
public sealed class TwoStageSearchFaqTests(FaqFixture faq)
{
    private TwoStageSearch<string, FaqEntry> Search(Action<TwoStageSearchOptions<FaqEntry>>? configure = null, bool rerank = true)
    {
        var options = new TwoStageSearchOptions<FaqEntry> { Candidates = 12, TopN = 3, RerankText = e => e.RerankText };
        configure?.Invoke(options);
        return new TwoStageSearch<string, FaqEntry>(faq.Collection, faq.Arctic, rerank ? faq.Reranker : null, options);
    }

    [Fact]
    public async Task Results_are_the_rerankers_order_of_the_first_stage_candidates()
    {
        var response = await Search().SearchAsync(new TwoStageSearchRequest<FaqEntry> { Query = "send a document to a client who has no account" });

        var expected = await faq.Reranker.RerankAsync(response.Query, response.Candidates.Select(c => c.Record.RerankText).ToList(), new RerankOptions { TopN = 3 });
        Assert.True(response.Reranked);
        Assert.Equal(12, response.Candidates.Count);
        Assert.Equal(expected.Select(e => response.Candidates[e.Index].Record.Id), response.Results.Select(r => r.Record.Id));
        Assert.Equal("sharing-link", response.Results[0].Record.Id);
        Assert.True(response.Results[0].CandidateRank > 1, "the reranker moved the answer up");
    }

    [Fact]
    public async Task A_filter_restricts_both_stages()
    {
        var response = await Search().SearchAsync(new TwoStageSearchRequest<FaqEntry> { Query = "money", Filter = e => e.Category == "billing" });

        Assert.Equal(4, response.Candidates.Count);
        Assert.All(response.Results, r => Assert.Equal("billing", r.Record.Category));
    }

    [Fact]
    public void A_reranker_without_the_text_it_should_read_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Search(configure: o => o.RerankText = null));

        Assert.Contains("A reranker needs the text of each FaqEntry", error.Message);
    }

    [Fact]
    public async Task A_record_with_no_text_for_the_reranker_is_an_error()
    {
        var search = Search(configure: o => o.RerankText = e => e.Category == "billing" ? " " : e.RerankText);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => search.SearchAsync(new TwoStageSearchRequest<FaqEntry> { Query = "money" }));

        Assert.Contains("(FaqEntry) has no text for the reranker", error.Message);
    }

    [Fact]
    public async Task Judged_queries_keyed_by_the_apps_own_ids_are_evaluated()
    {
        IReadOnlyList<JudgedQuery<string>> queries =
        [
            new("q1", "how do I get my money back", new Dictionary<string, int> { ["billing-refund"] = 3 }),
            new("q2", "send a document to a client who has no account", new Dictionary<string, int> { ["sharing-link"] = 3, ["sharing-folder"] = 1 }),
        ];

        var search = Search();
        var evaluation = await EvaluationRunner.EvaluateAsync(new TwoStageSearchPipeline<string, FaqEntry>("reranked", search, e => e.Id, candidates: 12), queries);

        foreach (var query in queries)
        {
            // Each run is the search's own order by id: the reranked results, then the rest of the pool.
            var response = await search.SearchAsync(new TwoStageSearchRequest<FaqEntry> { Query = query.Query, TopN = 12, Candidates = 12 });
            Assert.Equal(response.Results.Select(r => r.Record.Id), evaluation.Runs[query.Id]);
            Assert.Equal(EvaluationRunner.Score(evaluation.Runs[query.Id], query.Judgments), evaluation.PerQuery[query.Id]);
        }
        Assert.Equal(1.0, evaluation.PerQuery["q2"].MrrAt10);
        Assert.Equal(evaluation.PerQuery.Values.Average(m => m.NdcgAt5), evaluation.Metrics.NdcgAt5, 9);
        Assert.Equal(["embed", "search", "rerank"], evaluation.MeanStageMs.Keys);
    }

    [Fact]
    public async Task A_search_is_one_span_with_embed_first_stage_and_rerank_children()
    {
        // The OpenTelemetry SDK with its in-memory exporter: what an application's tracer provider with AddSource("SkRerank") gets.
        var spans = new List<Activity>();
        using var testSource = new ActivitySource("skrerank-tests");
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(SkRerankTelemetry.ActivitySourceName, "skrerank-tests")
            .AddInMemoryExporter(spans)
            .Build())
        {
            using var test = testSource.StartActivity("test"); // a parent of our own, so other tests' spans are told apart
            await Search().SearchAsync(new TwoStageSearchRequest<FaqEntry> { Query = "money", TopN = 3 });
            test!.Stop();
            tracing.ForceFlush();
            spans.RemoveAll(s => s.TraceId != test.TraceId);
        }

        var search = Assert.Single(spans, s => s.OperationName == SkRerankTelemetry.Spans.Search);
        Assert.Equal(
            [SkRerankTelemetry.Spans.EmbedQuery, SkRerankTelemetry.Spans.FirstStage, SkRerankTelemetry.Spans.Rerank],
            spans.Where(s => s.ParentSpanId == search.SpanId).OrderBy(s => s.StartTimeUtc).Select(s => s.OperationName));
        Assert.Equal(true, search.GetTagItem(SkRerankTelemetry.Attributes.Reranked));
        Assert.Equal(12, search.GetTagItem(SkRerankTelemetry.Attributes.Candidates));
        Assert.Equal(3, search.GetTagItem(SkRerankTelemetry.Attributes.TopN));
        var rerank = Assert.Single(spans, s => s.OperationName == SkRerankTelemetry.Spans.Rerank);
        Assert.Equal(12, rerank.GetTagItem(SkRerankTelemetry.Attributes.Candidates));
        Assert.All(spans.Where(s => s.Source.Name == SkRerankTelemetry.ActivitySourceName), s => Assert.True(s.Duration > TimeSpan.Zero));
    }
}
