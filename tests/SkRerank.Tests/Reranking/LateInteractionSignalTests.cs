using Microsoft.Extensions.Logging;
using SkRerank.Reranking;
using SkRerank.Tests.Onnx;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Reranking;

public sealed class LateInteractionSignalTests(EmbeddingModelsFixture models) : IClassFixture<EmbeddingModelsFixture>
{
    private static readonly string[] Corpus =
    [
        "the cat sat on the mat",
        "the dog chased the ball",
        "the bird sang in the tree",
        "the fish swam in the pond",
    ];

    [Fact]
    public async Task A_document_scores_the_weighted_share_of_query_tokens_it_matches()
    {
        using var signal = new LateInteractionSignal(new WordTokenEmbeddingGenerator(), new LateInteractionSignalOptions { IdfShare = 0 });
        await signal.WarmUpAsync(Corpus);

        var scores = await signal.ScoreAsync("cat ball", Corpus);

        // One of two query tokens found (one-hot vectors: best match 1 or 0), weighted alike.
        Assert.Equal([0.5, 0.5, 0, 0], scores.Select(s => Math.Round(s, 6)));
    }

    [Fact]
    public async Task Rare_query_tokens_weigh_more_with_idf_weighting()
    {
        string[] corpus = ["cat one", "cat two", "mouse three", "dog four", "bird five", "fish six"];
        using var uniform = new LateInteractionSignal(new WordTokenEmbeddingGenerator(), new LateInteractionSignalOptions { IdfShare = 0 });
        using var idf = new LateInteractionSignal(new WordTokenEmbeddingGenerator(), new LateInteractionSignalOptions { IdfShare = 1 });
        await uniform.WarmUpAsync(corpus);
        await idf.WarmUpAsync(corpus);

        var flat = await uniform.ScoreAsync("cat mouse", corpus);
        var weighted = await idf.ScoreAsync("cat mouse", corpus);

        Assert.Equal(flat[0], flat[2], 6);
        // "mouse" is in one document of six, "cat" in two: matching "mouse" is worth more.
        Assert.True(weighted[2] > weighted[0], $"mouse-document {weighted[2]} should beat a cat-document {weighted[0]}");
    }

    [Fact]
    public async Task Tokens_half_the_corpus_shares_do_not_count_for_documents()
    {
        using var signal = new LateInteractionSignal(new WordTokenEmbeddingGenerator(), new LateInteractionSignalOptions { IdfShare = 0 });
        await signal.WarmUpAsync(Corpus);

        // "the" is in every document: pruned from documents, so it matches nothing; "cat" still does.
        var scores = await signal.ScoreAsync("the cat", Corpus);

        Assert.Equal([0.5, 0, 0, 0], scores.Select(s => Math.Round(s, 6)));
    }

    [Fact]
    public async Task Warm_up_keeps_token_vectors_on_disk_and_a_new_instance_reads_them_instead_of_embedding()
    {
        using var folder = new TempDirectory();
        var first = new WordTokenEmbeddingGenerator();
        using (var signal = new LateInteractionSignal(first, new LateInteractionSignalOptions { CacheDirectory = folder.Path }))
            await signal.WarmUpAsync(Corpus);
        Assert.Equal(Corpus.Length, first.TextsEmbedded);
        Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, "tokens")));

        var second = new WordTokenEmbeddingGenerator();
        using var again = new LateInteractionSignal(second, new LateInteractionSignalOptions { CacheDirectory = folder.Path });
        await again.WarmUpAsync(Corpus);

        Assert.Equal(0, second.TextsEmbedded);
        Assert.Equal(Corpus.Length, again.DocumentCount);
    }

    [Fact]
    public async Task A_damaged_cache_file_is_logged_discarded_and_rebuilt()
    {
        using var folder = new TempDirectory();
        using (var signal = new LateInteractionSignal(new WordTokenEmbeddingGenerator(), new LateInteractionSignalOptions { CacheDirectory = folder.Path }))
            await signal.WarmUpAsync(Corpus);
        var file = Directory.GetFiles(Path.Combine(folder.Path, "tokens")).Single();
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var logger = new ListLogger<LateInteractionSignal>();
        var generator = new WordTokenEmbeddingGenerator();
        using var rebuilt = new LateInteractionSignal(generator, new LateInteractionSignalOptions { CacheDirectory = folder.Path }, logger);
        await rebuilt.WarmUpAsync(Corpus);

        Assert.Equal(Corpus.Length, generator.TextsEmbedded);
        Assert.Contains(logger.Messages, m => m.Contains("Discarding the token cache", StringComparison.Ordinal));
        Assert.Equal(bytes.Length, new FileInfo(file).Length);
    }

    [Fact]
    public async Task Unseen_documents_are_scored_but_not_kept()
    {
        using var signal = new LateInteractionSignal(new WordTokenEmbeddingGenerator(), new LateInteractionSignalOptions { IdfShare = 0 });
        await signal.WarmUpAsync(Corpus);

        var scores = await signal.ScoreAsync("owl", ["an owl hooted", "the cat sat on the mat"]);

        Assert.Equal([1.0, 0.0], scores.Select(s => Math.Round(s, 6)));
        Assert.Equal(Corpus.Length, signal.DocumentCount);
    }

    [Fact]
    public async Task With_the_packaged_model_a_bat_query_finds_the_batman_plot_over_an_unrelated_one()
    {
        using var signal = new LateInteractionSignal(models.MiniLm.AsTokenEmbeddingGenerator());
        string[] documents =
        [
            "A young woman opens a bakery in Paris and falls in love with her supplier.",
            "Batman, the caped crusader, hunts a serial killer through the streets of Gotham.",
            "Two rival chefs compete in a televised cooking contest.",
        ];
        await signal.WarmUpAsync(documents);

        var scores = await signal.ScoreAsync("super hero mystery about bats", documents);

        Assert.Equal(1, Array.IndexOf(scores, scores.Max()));
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
