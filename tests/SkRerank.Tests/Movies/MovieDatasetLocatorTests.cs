using System.Net;
using SkRerank.Movies;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Movies;

public class MovieDatasetLocatorTests
{
    private const string ValidJson = """[{"title":"A","overview":"o","director":"d","genres":"Drama","tagline":null}]""";

    [Fact]
    public async Task An_explicit_path_wins_and_must_exist()
    {
        using var temp = new TempDirectory();
        var explicitPath = temp.File("mine.json", ValidJson);
        temp.File("datasets/movies.json", ValidJson);
        var locator = new MovieDatasetLocator(temp.Path);
        Assert.Equal(explicitPath, await locator.LocateAsync(explicitPath));

        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => locator.LocateAsync(Path.Combine(temp.Path, "missing.json")));
        Assert.Contains("missing.json", ex.Message);
        Assert.Contains("--dataset", ex.Message);
    }

    [Fact]
    public async Task Datasets_folder_is_found_from_a_subfolder_before_the_shared_copy()
    {
        using var temp = new TempDirectory();
        var project = Path.Combine(temp.Path, "project");
        temp.File("shared/datasets/movies.json", ValidJson);
        var own = temp.File("project/datasets/movies.json", ValidJson);
        Directory.CreateDirectory(Path.Combine(project, "src", "deep"));
        var located = await new MovieDatasetLocator(Path.Combine(project, "src", "deep")).LocateAsync(null, allowDownload: false);
        Assert.Equal(own, located);
    }

    [Fact]
    public async Task The_shared_copy_beside_the_project_is_used_when_datasets_is_empty()
    {
        using var temp = new TempDirectory();
        var shared = temp.File("shared/datasets/movies.json", ValidJson);
        Directory.CreateDirectory(Path.Combine(temp.Path, "project"));
        var located = await new MovieDatasetLocator(Path.Combine(temp.Path, "project")).LocateAsync(null, allowDownload: false);
        Assert.Equal(Path.GetFullPath(shared), located);
    }

    [Fact]
    public async Task Without_a_copy_it_downloads_over_real_http_into_datasets()
    {
        using var temp = new TempDirectory();
        var project = Path.Combine(temp.Path, "project");
        temp.File("project/SkRerank.sln", "");
        await using var server = await LoopbackFileServer.StartAsync(HttpStatusCode.OK, ValidJson);
        var locator = new MovieDatasetLocator(project) { DownloadUrl = server.Url };

        var located = await locator.LocateAsync(null);

        Assert.True(locator.Downloaded);
        Assert.Equal(Path.Combine(project, "datasets", "movies.json"), located);
        Assert.Single(await MovieDataset.LoadAsync(located));
    }

    [Fact]
    public async Task A_failed_download_is_one_line_saying_where_to_put_the_file()
    {
        using var temp = new TempDirectory();
        await using var server = await LoopbackFileServer.StartAsync(HttpStatusCode.NotFound, "nope");
        var locator = new MovieDatasetLocator(temp.Path) { DownloadUrl = server.Url };

        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => locator.LocateAsync(null));

        Assert.StartsWith("movies.json not found. Put it at", ex.Message);
        Assert.Contains(Path.Combine("datasets", "movies.json"), ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "datasets", "movies.json")));
    }

    [Fact]
    public async Task A_download_that_is_not_a_dataset_is_not_kept()
    {
        using var temp = new TempDirectory();
        await using var server = await LoopbackFileServer.StartAsync(HttpStatusCode.OK, "<html>captive portal</html>");
        var locator = new MovieDatasetLocator(temp.Path) { DownloadUrl = server.Url };
        await Assert.ThrowsAsync<MovieDatasetException>(() => locator.LocateAsync(null));
        Assert.False(File.Exists(Path.Combine(temp.Path, "datasets", "movies.json")));
    }
}
