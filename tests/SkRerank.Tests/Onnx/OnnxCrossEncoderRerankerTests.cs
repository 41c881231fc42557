using System.Net;
using SkRerank.Onnx.HuggingFace;
using SkRerank.Onnx.Reranking;
using SkRerank.Reranking;

namespace SkRerank.Tests.Onnx;

public sealed class OnnxCrossEncoderRerankerTests : IDisposable
{
    private const string Query = "bat detective";
    private static readonly string[] QueryPieces = ["bat", "detective"];

    private static readonly string[] Documents =
    [
        "a love story in paris",
        "batman in gotham",
        "the dark knight",
    ];

    private static readonly string[][] DocumentPieces =
    [
        ["a", "love", "story", "in", "paris"],
        ["bat", "##man", "in", "gotham"],
        ["the", "dark", "knight"],
    ];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("skrerank-cross-encoder-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Documents_come_back_by_descending_model_score_with_their_original_indices()
    {
        using var reranker = Load();

        var results = await reranker.RerankAsync(Query, Documents);

        Assert.Equal([1, 2, 0], results.Select(r => r.Index));
        for (var i = 0; i < Documents.Length; i++)
        {
            var expected = TinyCrossEncoder.ExpectedLogit(QueryPieces, DocumentPieces[i]);
            Assert.Equal(expected, results.Single(r => r.Index == i).RelevanceScore, 4);
        }
    }

    [Fact]
    public async Task The_sigmoid_activation_squashes_each_logit_and_keeps_the_order()
    {
        using var raw = Load();
        using var squashed = Load(new OnnxCrossEncoderRerankerOptions { ScoreActivation = CrossEncoderScoreActivation.Sigmoid });

        var logits = await raw.RerankAsync(Query, Documents);
        var scores = await squashed.RerankAsync(Query, Documents);

        Assert.Equal(logits.Select(r => r.Index), scores.Select(r => r.Index));
        foreach (var (logit, score) in logits.Zip(scores))
        {
            Assert.Equal(1 / (1 + Math.Exp(-logit.RelevanceScore)), score.RelevanceScore, 6);
            Assert.InRange(score.RelevanceScore, 0, 1);
        }
    }

    [Fact]
    public async Task A_two_class_head_scores_the_softmax_probability_of_the_relevant_class()
    {
        var folder = Folder("two-class");
        TinyCrossEncoder.Write(folder, twoClasses: true);
        using var reranker = OnnxCrossEncoderReranker.FromDirectory(folder);

        var results = await reranker.RerankAsync(Query, Documents);

        // Logits (0, s): softmax class 1 = e^s / (1 + e^s).
        var s = TinyCrossEncoder.ExpectedLogit(QueryPieces, DocumentPieces[2]);
        Assert.Equal(Math.Exp(s) / (1 + Math.Exp(s)), results.Single(r => r.Index == 2).RelevanceScore, 6);
        Assert.Equal([1, 2, 0], results.Select(r => r.Index));
    }

    [Fact]
    public async Task A_graph_without_token_type_ids_reads_query_and_document_alike()
    {
        var folder = Folder("no-token-types");
        TinyCrossEncoder.Write(folder, tokenTypes: false);
        using var reranker = OnnxCrossEncoderReranker.FromDirectory(folder);

        var results = await reranker.RerankAsync(Query, Documents);

        var expected = TinyCrossEncoder.ExpectedLogit(QueryPieces, DocumentPieces[1], documentCountsDouble: false);
        Assert.Equal(expected, results.Single(r => r.Index == 1).RelevanceScore, 4);
    }

    [Fact]
    public async Task A_long_document_is_cut_to_what_the_query_leaves_of_the_budget()
    {
        using var reranker = Load(new OnnxCrossEncoderRerankerOptions { MaxTokens = 12 });
        var longDocument = string.Join(' ', Enumerable.Repeat("crime", 50));

        var result = (await reranker.RerankAsync(Query, [longDocument])).Single();

        // 12 = [CLS] + 2 query pieces + [SEP] + 7 document pieces + [SEP].
        var expected = TinyCrossEncoder.ExpectedLogit(QueryPieces, Enumerable.Repeat("crime", 7).ToArray());
        Assert.Equal(expected, result.RelevanceScore, 4);
    }

    [Fact]
    public async Task A_long_query_keeps_at_most_half_of_the_budget()
    {
        using var reranker = Load(new OnnxCrossEncoderRerankerOptions { MaxTokens = 13 });
        var longQuery = string.Join(' ', Enumerable.Repeat("gotham", 20));
        var longDocument = string.Join(' ', Enumerable.Repeat("crime", 20));

        var result = (await reranker.RerankAsync(longQuery, [longDocument])).Single();

        // Budget 13 - 3 special tokens = 10: the query keeps 5, the document gets the other 5.
        var expected = TinyCrossEncoder.ExpectedLogit(
            Enumerable.Repeat("gotham", 5).ToArray(),
            Enumerable.Repeat("crime", 5).ToArray());
        Assert.Equal(expected, result.RelevanceScore, 4);
    }

    [Fact]
    public async Task Batched_scores_equal_one_by_one_scores_and_padding_never_counts()
    {
        using var batched = Load(new OnnxCrossEncoderRerankerOptions { BatchSize = 4 });
        using var single = Load(new OnnxCrossEncoderRerankerOptions { BatchSize = 1 });
        var words = TinyCrossEncoder.Vocabulary.Skip(5).Where(v => !v.Token.StartsWith("##")).Select(v => v.Token).ToArray();
        var random = new Random(7);
        var documents = Enumerable.Range(0, 40)
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 30)).Select(_ => words[random.Next(words.Length)])))
            .ToList();

        var together = await batched.RerankAsync(Query, documents);

        for (var i = 0; i < documents.Count; i++)
        {
            var alone = (await single.RerankAsync(Query, [documents[i]])).Single().RelevanceScore;
            var pieces = documents[i].Split(' ');
            Assert.Equal(TinyCrossEncoder.ExpectedLogit(QueryPieces, pieces), alone, 3);
            Assert.Equal(alone, together.Single(r => r.Index == i).RelevanceScore, 5);
        }
    }

    [Fact]
    public async Task TopN_returns_only_the_best_documents()
    {
        using var reranker = Load();

        var results = await reranker.RerankAsync(Query, Documents, new RerankOptions { TopN = 2 });

        Assert.Equal([1, 2], results.Select(r => r.Index));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)]
    public async Task TopN_outside_one_to_the_document_count_is_refused_naming_top_n(int topN)
    {
        using var reranker = Load();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => reranker.RerankAsync(Query, Documents, new RerankOptions { TopN = topN }));

        Assert.Equal("top_n", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_query_is_refused(string query)
    {
        using var reranker = Load();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => reranker.RerankAsync(query, Documents));
    }

    [Fact]
    public async Task No_documents_give_no_results()
    {
        using var reranker = Load();

        Assert.Empty(await reranker.RerankAsync(Query, []));
    }

    [Fact]
    public void Metadata_names_the_onnx_provider_and_the_model_folder()
    {
        var folder = Folder("ms-marco-tiny");
        TinyCrossEncoder.Write(folder);
        using var reranker = OnnxCrossEncoderReranker.FromDirectory(folder);

        Assert.Equal(new RerankerMetadata("onnx", "ms-marco-tiny"), reranker.Metadata);
    }

    [Fact]
    public void A_folder_without_the_model_files_is_refused_with_a_list_of_what_is_missing()
    {
        var folder = Folder("empty");
        Directory.CreateDirectory(folder);

        var error = Assert.Throws<FileNotFoundException>(() => OnnxCrossEncoderReranker.FromDirectory(folder));

        Assert.Contains("model.onnx", error.Message);
        Assert.Contains("vocab.txt or tokenizer.json", error.Message);
        Assert.Contains(folder, error.Message);
    }

    [Fact]
    public void A_folder_with_only_the_model_names_just_the_missing_vocabulary()
    {
        var folder = Folder("no-vocab");
        TinyCrossEncoder.Write(folder, writeVocab: false);

        var error = Assert.Throws<FileNotFoundException>(() => OnnxCrossEncoderReranker.FromDirectory(folder));

        Assert.DoesNotContain("model.onnx", error.Message);
        Assert.Contains("vocab.txt or tokenizer.json", error.Message);
    }

    [Fact]
    public async Task A_WordPiece_tokenizer_json_works_like_vocab_txt()
    {
        var folder = Folder("tokenizer-json");
        TinyCrossEncoder.Write(folder, writeVocab: false);
        await File.WriteAllTextAsync(Path.Combine(folder, "tokenizer.json"), TokenizerJson("WordPiece"));
        using var reranker = OnnxCrossEncoderReranker.FromDirectory(folder);

        var results = await reranker.RerankAsync("BAT Detective", Documents);

        Assert.Equal(TinyCrossEncoder.ExpectedLogit(QueryPieces, DocumentPieces[1]), results[0].RelevanceScore, 4);
    }

    [Fact]
    public void A_SentencePiece_tokenizer_json_is_refused()
    {
        var folder = Folder("unigram");
        TinyCrossEncoder.Write(folder, writeVocab: false);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), TokenizerJson("Unigram"));

        var error = Assert.Throws<NotSupportedException>(() => OnnxCrossEncoderReranker.FromDirectory(folder));
        Assert.Contains("WordPiece", error.Message);
    }

    [Fact]
    public async Task Without_internet_loading_from_Hugging_Face_names_the_model_the_host_and_what_to_do()
    {
        using var http = new HttpClient(new FakeHuggingFace(_ => throw new HttpRequestException("Connection refused (huggingface.co:443)")));
        var cache = Folder("cache");

        var error = await Assert.ThrowsAsync<HuggingFaceDownloadException>(
            () => OnnxCrossEncoderReranker.FromHuggingFaceAsync("cross-encoder/ms-marco-MiniLM-L-6-v2", cache, http));

        Assert.StartsWith(
            "Could not reach huggingface.co to download cross-encoder/ms-marco-MiniLM-L-6-v2 onnx/model.onnx: Connection refused",
            error.Message);
        Assert.Contains("HF_ENDPOINT", error.Message);
        Assert.Contains("local folder", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(Directory.Exists(Path.Combine(cache, "models--cross-encoder--ms-marco-MiniLM-L-6-v2", "snapshots")));
    }

    [Fact]
    public async Task A_server_error_from_Hugging_Face_is_reported_the_same_way()
    {
        using var http = new HttpClient(new FakeHuggingFace(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));

        var error = await Assert.ThrowsAsync<HuggingFaceDownloadException>(
            () => OnnxCrossEncoderReranker.FromHuggingFaceAsync("owner/model", Folder("cache"), http));

        Assert.StartsWith("Could not download owner/model onnx/model.onnx from huggingface.co: HTTP 503", error.Message);
    }

    [Fact]
    public async Task Hugging_Face_files_are_downloaded_once_then_loaded_from_the_cache()
    {
        var source = Folder("published");
        TinyCrossEncoder.Write(source, writeVocab: false);
        var tokenizer = TokenizerJson("WordPiece");
        var served = new List<string>();
        using var http = new HttpClient(new FakeHuggingFace(request =>
        {
            var url = request.RequestUri!.ToString();
            served.Add($"{request.Method} {url}");
            return url switch
            {
                "https://huggingface.co/owner/tiny/resolve/main/onnx/model.onnx" =>
                    new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(source, "model.onnx"))) },
                "https://huggingface.co/owner/tiny/resolve/main/tokenizer.json" =>
                    new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(tokenizer) },
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
        }));
        var cache = Folder("cache");

        using (var first = await OnnxCrossEncoderReranker.FromHuggingFaceAsync("owner/tiny", cache, http))
        {
            Assert.Equal(new RerankerMetadata("onnx", "owner/tiny"), first.Metadata);
            Assert.Equal(1, (await first.RerankAsync(Query, Documents))[0].Index);
        }

        // onnx/model.onnx (HEAD, GET), vocab.txt (HEAD: 404), tokenizer.json (HEAD, GET), tokenizer_config.json (HEAD: 404)
        Assert.Equal(6, served.Count);
        using var second = await OnnxCrossEncoderReranker.FromHuggingFaceAsync("owner/tiny", cache, http);
        Assert.Equal(6, served.Count);
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("../escape")]
    [InlineData("a/b/c")]
    public async Task A_malformed_Hugging_Face_id_is_refused(string modelId)
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => OnnxCrossEncoderReranker.FromHuggingFaceAsync(modelId, Folder("cache"), new HttpClient(new FakeHuggingFace(_ => throw new InvalidOperationException("no request expected")))));
    }

    private OnnxCrossEncoderReranker Load(OnnxCrossEncoderRerankerOptions? options = null)
    {
        var folder = Folder("tiny");
        if (!File.Exists(Path.Combine(folder, "model.onnx"))) TinyCrossEncoder.Write(folder);
        return OnnxCrossEncoderReranker.FromDirectory(folder, options);
    }

    private string Folder(string name) => Path.Combine(_root.FullName, name);

    private static string TokenizerJson(string modelType) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            normalizer = new { type = "BertNormalizer", lowercase = true },
            model = new
            {
                type = modelType,
                unk_token = "[UNK]",
                vocab = TinyCrossEncoder.Vocabulary.Select((v, i) => (v.Token, i)).ToDictionary(p => p.Token, p => p.i),
            },
        });

    private sealed class FakeHuggingFace(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
