using Microsoft.Extensions.AI;
using SkRerank.Reranking;

namespace SkRerank.Tests.Reranking;

public sealed class PseudoRelevanceFeedbackTests
{
    // Query between "space" and "sea"; the two best documents lean to space, so feedback should pull space films up.
    private static readonly Dictionary<string, float[]> Vectors = new(StringComparer.Ordinal)
    {
        ["q"] = [1, 1, 0],
        ["space 1"] = [1, 0.5f, 0],
        ["space 2"] = [1, 0.4f, 0],
        ["sea"] = [0.3f, 1, 0],
        ["space 3"] = [1, 0.1f, 0],
    };

    [Fact]
    public async Task Feedback_moves_the_query_toward_the_feedback_documents()
    {
        var signal = new EmbeddingSimilaritySignal(new TableEmbeddingGenerator(Vectors));
        string[] documents = ["space 1", "space 2", "sea", "space 3"];

        var plain = await signal.ScoreAsync("q", documents);
        var moved = await signal.ScoreWithFeedbackAsync("q", documents, [0, 1], weight: 1);

        // Without feedback "sea" beats "space 3"; with the space documents as feedback it no longer does.
        Assert.True(plain[2] > plain[3]);
        Assert.True(moved[3] > moved[2], $"space 3 {moved[3]} should beat sea {moved[2]} after feedback");
        Assert.Equal(plain, await signal.ScoreWithFeedbackAsync("q", documents, [0, 1], weight: 0), new ToleranceComparer(1e-6));
    }

    [Fact]
    public async Task The_fusion_reranker_fuses_again_after_feedback_and_says_so_in_its_metadata()
    {
        var signal = new EmbeddingSimilaritySignal(new TableEmbeddingGenerator(Vectors), "table-cosine");
        using var once = new SignalFusionReranker([(signal, 1.0)]);
        using var withFeedback = new SignalFusionReranker([(signal, 1.0)], options: new SignalFusionRerankerOptions { FeedbackDocuments = 2 });
        string[] documents = ["sea", "space 3", "space 1", "space 2"];

        var plain = await once.RerankAsync("q", documents);
        var moved = await withFeedback.RerankAsync("q", documents);

        Assert.True(plain.ToList().FindIndex(r => r.Index == 0) < plain.ToList().FindIndex(r => r.Index == 1));
        Assert.True(moved.ToList().FindIndex(r => r.Index == 1) < moved.ToList().FindIndex(r => r.Index == 0));
        Assert.Contains("prf(2,1)", withFeedback.Metadata.ModelId, StringComparison.Ordinal);
        Assert.DoesNotContain("prf", once.Metadata.ModelId, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_feedback_settings_are_refused()
    {
        var signal = new EmbeddingSimilaritySignal(new TableEmbeddingGenerator(Vectors));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignalFusionReranker([(signal, 1.0)], options: new SignalFusionRerankerOptions { FeedbackDocuments = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignalFusionReranker([(signal, 1.0)], options: new SignalFusionRerankerOptions { FeedbackWeight = double.NaN }));
    }

    private sealed class TableEmbeddingGenerator(Dictionary<string, float[]> table) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(table[v]))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
