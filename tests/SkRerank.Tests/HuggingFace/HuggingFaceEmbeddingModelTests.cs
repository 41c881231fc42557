using Microsoft.Extensions.AI;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.HuggingFace;
using SkRerank.Onnx.ModelFiles;
using SkRerank.Tests.Onnx;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.HuggingFace;

/// <summary>Any sentence-transformers model from the Hub: downloaded once over real HTTP from a local fake Hub, configured from its own files.</summary>
public sealed class HuggingFaceEmbeddingModelTests : IAsyncLifetime
{
    private const string Repository = "tiny-org/tiny-embedder";
    private static readonly EmbeddingGenerationOptions AsQuery = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query);

    private readonly TempDirectory _temp = new();
    private FakeHuggingFaceHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeHuggingFaceHub.StartAsync();
        _hub.Publish(Repository, TinySentenceTransformer.Files());
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_model_is_configured_from_its_sentence_transformers_files()
    {
        var model = await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());

        Assert.Equal((Repository, EmbeddingPooling.Mean, true, TinySentenceTransformer.QueryPrompt, "", true, 8),
            (model.ModelId, model.Pooling, model.Normalize, model.QueryPrefix, model.DocumentPrefix, model.LowerCase, model.MaxTokens));
    }

    [Fact]
    public async Task A_query_gets_the_model_s_prompt_and_is_mean_pooled_and_normalized_as_its_config_says()
    {
        using var generator = new OnnxEmbeddingGenerator(await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub()));

        var query = await generator.GenerateVectorAsync("Bat knight", AsQuery);
        var document = await generator.GenerateVectorAsync("Bat knight");

        Vectors.AssertClose(TinySentenceTransformer.MeanOf(["[CLS]", "query", ":", "bat", "knight", "[SEP]"]), query.Span, 1e-5f);
        Vectors.AssertClose(TinySentenceTransformer.MeanOf(["[CLS]", "bat", "knight", "[SEP]"]), document.Span, 1e-5f);
        // max_seq_length 8 from sentence_bert_config.json caps the generator's default of 512.
        Assert.Equal(8, generator.CountTokens("the dark knight love paris the dark knight love paris"));
    }

    [Fact]
    public async Task Cls_pooling_without_a_Normalize_module_gives_the_raw_first_token_vector()
    {
        _hub.Publish("tiny-org/cls-raw", TinySentenceTransformer.Files(pooling: "cls", normalize: false));
        using var generator = new OnnxEmbeddingGenerator(await OnnxEmbeddingModel.FromHuggingFaceAsync("tiny-org/cls-raw", _temp.Path, Hub()));

        var vector = await generator.GenerateVectorAsync("love paris");

        Vectors.AssertClose(TinySentenceTransformer.Vector("[CLS]"), vector.Span, 1e-6f);
    }

    [Fact]
    public async Task Without_config_files_a_model_gets_the_sentence_transformers_defaults_mean_normalized_no_prompt()
    {
        _hub.Publish("tiny-org/bare", TinySentenceTransformer.Files(withConfig: false));
        var model = await OnnxEmbeddingModel.FromHuggingFaceAsync("tiny-org/bare", _temp.Path, Hub());
        using var generator = new OnnxEmbeddingGenerator(model);

        var query = await generator.GenerateVectorAsync("Bat knight", AsQuery);

        Assert.Equal((EmbeddingPooling.Mean, true, "", (int?)null), (model.Pooling, model.Normalize, model.QueryPrefix, model.MaxTokens));
        Vectors.AssertClose(TinySentenceTransformer.MeanOf(["[CLS]", "bat", "knight", "[SEP]"]), query.Span, 1e-5f);
    }

    [Fact]
    public async Task Files_are_downloaded_once_into_the_cache_then_used_without_the_network()
    {
        var first = await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());
        var requests = _hub.Requests.Count;
        var repoFolder = Path.Combine(_temp.Path, "models", "models--tiny-org--tiny-embedder");

        await _hub.DisposeAsync(); // the Hub is gone: a second load must not need it
        var second = await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());
        using var generator = new OnnxEmbeddingGenerator(second);

        Assert.Equal(FakeHuggingFaceHub.Commit, File.ReadAllText(Path.Combine(repoFolder, "refs", "main")));
        Assert.Equal(
            TinySentenceTransformer.Files()["onnx/model.onnx"],
            File.ReadAllBytes(Path.Combine(repoFolder, "snapshots", FakeHuggingFaceHub.Commit, "onnx", "model.onnx")));
        Assert.Single(_hub.Requests, r => r.Server == "cdn"); // the graph, from the CDN, once
        Assert.Equal(requests, _hub.Requests.Count);
        Assert.Equal(first.QueryPrefix, second.QueryPrefix);
        var vector = await generator.GenerateVectorAsync("bat");
        Vectors.AssertClose(TinySentenceTransformer.MeanOf(["[CLS]", "bat", "[SEP]"]), vector.Span, 1e-5f);
    }

    [Fact]
    public async Task A_snapshot_folder_loads_as_a_local_model_folder_with_the_same_configuration()
    {
        await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());
        var snapshot = Path.Combine(_temp.Path, "models", "models--tiny-org--tiny-embedder", "snapshots", FakeHuggingFaceHub.Commit);

        var local = OnnxEmbeddingModel.FromDirectory(snapshot, "tiny");
        using var generator = new OnnxEmbeddingGenerator(local);

        Assert.Equal(("tiny", TinySentenceTransformer.QueryPrompt, 8), (local.ModelId, local.QueryPrefix, local.MaxTokens));
        var vector = await generator.GenerateVectorAsync("bat", AsQuery);
        Vectors.AssertClose(TinySentenceTransformer.MeanOf(["[CLS]", "query", ":", "bat", "[SEP]"]), vector.Span, 1e-5f);
    }

    [Fact]
    public async Task A_model_without_an_ONNX_export_is_refused_naming_the_model_and_the_files_looked_for()
    {
        var files = TinySentenceTransformer.Files();
        files.Remove("onnx/model.onnx");
        _hub.Publish("tiny-org/pytorch-only", files);

        var error = await Assert.ThrowsAsync<ModelConfigurationException>(
            () => OnnxEmbeddingModel.FromHuggingFaceAsync("tiny-org/pytorch-only", _temp.Path, Hub()));

        Assert.StartsWith("tiny-org/pytorch-only has no ONNX export (onnx/model.onnx or model.onnx)", error.Message);
        // After the first answer every file is asked for at the commit it gave, so all come from one snapshot.
        Assert.Equal(1, _hub.Count("HEAD", $"/tiny-org/pytorch-only/resolve/{FakeHuggingFaceHub.Commit}/model.onnx"));
    }

    [Fact]
    public async Task A_required_file_the_Hub_does_not_have_is_a_one_line_404_naming_model_and_file()
    {
        using var downloader = new HuggingFaceDownloader(_temp.Path, Hub());

        var error = await Assert.ThrowsAsync<HuggingFaceDownloadException>(
            () => downloader.GetFileAsync(HuggingFaceRepositoryId.Parse(Repository), "onnx/model_O4.onnx", required: true));

        Assert.Equal(
            $"{Repository} has no file onnx/model_O4.onnx on 127.0.0.1 (HTTP 404 at {_hub.Endpoint}/{Repository}/resolve/main/onnx/model_O4.onnx).",
            error.Message);
    }

    [Fact]
    public async Task An_unknown_repository_says_to_check_the_id_or_set_HF_TOKEN()
    {
        var error = await Assert.ThrowsAsync<HuggingFaceDownloadException>(
            () => OnnxEmbeddingModel.FromHuggingFaceAsync("tiny-org/no-such-model", _temp.Path, Hub()));

        Assert.StartsWith("Could not download tiny-org/no-such-model modules.json from 127.0.0.1: HTTP 401", error.Message);
        Assert.Contains("HF_TOKEN", error.Message);
    }

    [Fact]
    public async Task A_connection_cut_halfway_is_resumed_with_a_range_request_and_the_file_verified()
    {
        _hub.FailNextDownload("onnx/model.onnx", FakeHuggingFaceHub.Fault.CutHalfway);

        var model = await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());
        using var generator = new OnnxEmbeddingGenerator(model);

        var cdn = _hub.Requests.Where(r => r.Server == "cdn").ToList();
        Assert.Equal(2, cdn.Count);
        var half = TinySentenceTransformer.Files()["onnx/model.onnx"].Length / 2;
        Assert.Equal(("", $"bytes={half}-"), (cdn[0].Range, cdn[1].Range));
        var vector = await generator.GenerateVectorAsync("bat");
        Vectors.AssertClose(TinySentenceTransformer.MeanOf(["[CLS]", "bat", "[SEP]"]), vector.Span, 1e-5f);
    }

    [Fact]
    public async Task A_download_stopped_by_ctrl_c_leaves_no_final_file_and_the_next_run_resumes_it()
    {
        _hub.FailNextDownload("onnx/model.onnx", FakeHuggingFaceHub.Fault.StallHalfway);
        using var ctrlC = new CancellationTokenSource();
        var options = Hub();
        options.Progress = new CancelWhenBytesArrive(ctrlC, "onnx/model.onnx");
        var snapshot = Path.Combine(_temp.Path, "models", "models--tiny-org--tiny-embedder", "snapshots", FakeHuggingFaceHub.Commit);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, options, ctrlC.Token));
        Assert.False(File.Exists(Path.Combine(snapshot, "onnx", "model.onnx")));
        Assert.Single(Directory.GetFiles(Path.Combine(_temp.Path, "models", "models--tiny-org--tiny-embedder", "blobs"), "*.partial"));

        await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());

        var half = TinySentenceTransformer.Files()["onnx/model.onnx"].Length / 2;
        Assert.Equal($"bytes={half}-", _hub.Requests.Last(r => r.Server == "cdn").Range);
        Assert.Equal(TinySentenceTransformer.Files()["onnx/model.onnx"], File.ReadAllBytes(Path.Combine(snapshot, "onnx", "model.onnx")));
    }

    [Fact]
    public async Task A_file_failing_its_checksum_is_downloaded_again_and_never_kept_corrupt()
    {
        _hub.FailNextDownload("vocab.txt", FakeHuggingFaceHub.Fault.Corrupt);

        var model = await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());
        using var generator = new OnnxEmbeddingGenerator(model);

        Assert.Equal(2, _hub.Count("GET", "/resolve/main/vocab.txt") + _hub.Count("GET", $"/resolve/{FakeHuggingFaceHub.Commit}/vocab.txt"));
        var vector = await generator.GenerateVectorAsync("bat");
        Vectors.AssertClose(TinySentenceTransformer.MeanOf(["[CLS]", "bat", "[SEP]"]), vector.Span, 1e-5f);
    }

    [Fact]
    public async Task A_cached_file_cut_short_on_disk_is_detected_and_downloaded_again()
    {
        await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());
        var onnx = Path.Combine(_temp.Path, "models", "models--tiny-org--tiny-embedder", "snapshots", FakeHuggingFaceHub.Commit, "onnx", "model.onnx");
        var bytes = File.ReadAllBytes(onnx);
        File.WriteAllBytes(onnx, bytes[..(bytes.Length / 3)]);

        await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());

        Assert.Equal(bytes, File.ReadAllBytes(onnx));
        Assert.Equal(2, _hub.Requests.Count(r => r.Server == "cdn"));
    }

    [Fact]
    public async Task HF_TOKEN_goes_to_the_Hub_as_a_bearer_token_but_not_to_the_CDN()
    {
        _hub.RequiredToken = "hf_test_secret";
        var options = Hub();
        options.Token = "hf_test_secret";

        await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, options);

        Assert.All(_hub.Requests.Where(r => r.Server == "hub"), r => Assert.Equal("Bearer hf_test_secret", r.Authorization));
        Assert.All(_hub.Requests.Where(r => r.Server == "cdn"), r => Assert.Equal("", r.Authorization));
        Assert.Contains(_hub.Requests, r => r.Server == "cdn");
    }

    [Fact]
    public async Task A_refused_token_is_never_printed()
    {
        _hub.RequiredToken = "hf_the_right_one";
        var options = Hub();
        options.Token = "hf_wrong_secret";

        var error = await Assert.ThrowsAsync<HuggingFaceDownloadException>(
            () => OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, options));

        Assert.Contains("HTTP 401", error.Message);
        Assert.DoesNotContain("hf_wrong_secret", error.ToString());
    }

    [Fact]
    public async Task Offline_mode_uses_the_cache_and_names_what_is_missing()
    {
        var offline = Hub();
        offline.Offline = true;

        var error = await Assert.ThrowsAsync<HuggingFaceDownloadException>(
            () => OnnxEmbeddingModel.FromHuggingFaceAsync("tiny-org/never-downloaded", _temp.Path, offline));
        await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, Hub());
        var requests = _hub.Requests.Count;
        var cached = await OnnxEmbeddingModel.FromHuggingFaceAsync(Repository, _temp.Path, offline);

        Assert.Contains("HF_HUB_OFFLINE", error.Message);
        Assert.Equal(requests, _hub.Requests.Count);
        Assert.Equal(TinySentenceTransformer.QueryPrompt, cached.QueryPrefix);
        Assert.DoesNotContain(_hub.Requests, r => r.Path.Contains("never-downloaded"));
    }

    private HuggingFaceHubOptions Hub() => new() { Endpoint = _hub.Endpoint, Token = null, Offline = false };

    private sealed class CancelWhenBytesArrive(CancellationTokenSource cancel, string file) : IProgress<ModelDownloadProgress>
    {
        public void Report(ModelDownloadProgress value)
        {
            if (value.FilePath == file && value.BytesReceived > 0) cancel.Cancel();
        }
    }
}
