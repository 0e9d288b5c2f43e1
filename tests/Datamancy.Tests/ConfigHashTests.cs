using System.Security.Cryptography;
using System.Text;
using Datamancy.Errors;
using Datamancy.Fingerprints;

namespace Datamancy.Tests;

/// <summary>
/// ConfigHash against an oracle written out by hand: the lines sha256sum prints (coreutils 9,
/// checked on Debian 12), hashed once more. Pester compares with the real pipeline.
/// </summary>
public sealed class ConfigHashTests : IDisposable
{
    // sha256 of nothing, which sha256sum prints for its empty standard input.
    private const string EmptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dm-xunit-tree-" + Guid.NewGuid().ToString("N"));

    public ConfigHashTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Formats_a_plain_name_as_sha256sum_does()
    {
        var line = Sha256SumLine.Format(SHA256.HashData("x"u8), "./a b/é.txt"u8);
        Assert.Equal("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  ./a b/é.txt\n", Encoding.UTF8.GetString(line));
    }

    [Theory]
    [InlineData("./a\\b", "\\" + EmptyDigest + "  ./a\\\\b\n")]
    [InlineData("./c\nd", "\\" + EmptyDigest + "  ./c\\nd\n")]
    [InlineData("./e\rf", "\\" + EmptyDigest + "  ./e\\rf\n")]
    [InlineData("./all\\\n\r", "\\" + EmptyDigest + "  ./all\\\\\\n\\r\n")]
    [InlineData("./tab\there", EmptyDigest + "  ./tab\there\n")]
    public void Escapes_backslash_newline_and_carriage_return_and_marks_the_line(string name, string expected)
    {
        var line = Sha256SumLine.Format(SHA256.HashData([]), Encoding.UTF8.GetBytes(name));
        Assert.Equal(expected, Encoding.UTF8.GetString(line));
    }

    [Fact]
    public void Hashes_an_empty_or_missing_folder_as_the_pipeline_does_there()
    {
        var expected = Oracle($"{EmptyDigest}  -\n");
        Assert.Equal("sha256:abcfa6a9d4df344d1781bc2560b5e4cdcae08b39ed303063535e7e1e926a304a", expected);
        Assert.Equal(expected, ConfigTreeHasher.Hash(_root));
        Assert.Equal(expected, ConfigTreeHasher.Hash(Path.Combine(_root, "no-such-folder")));
    }

    [Fact]
    public void Sorts_names_by_their_bytes_and_lists_hidden_files()
    {
        Write("a b", "1");     // ' ' (0x20) sorts before '/' (0x2F) ...
        Write("a/b", "2");
        Write("a-b", "3");     // ... and so does '-' (0x2D)
        Write("B", "4");       // upper case before lower case
        Write(".hidden", "5");
        Write("é", "6");       // UTF-8 0xC3 0xA9, after every ASCII name
        var expected = Oracle(
            Line("5", "./.hidden") + Line("4", "./B") + Line("1", "./a b") + Line("3", "./a-b") + Line("2", "./a/b") + Line("6", "./é"));
        Assert.Equal(expected, ConfigTreeHasher.Hash(_root));
    }

    [Fact]
    public void Leaves_out_symbolic_links_and_does_not_follow_them()
    {
        Write("real/file", "content");
        File.CreateSymbolicLink(Path.Combine(_root, "link-to-file"), Path.Combine(_root, "real", "file"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "link-to-dir"), Path.Combine(_root, "real"));
        Directory.CreateDirectory(Path.Combine(_root, "empty"));
        Assert.Equal(Oracle(Line("content", "./real/file")), ConfigTreeHasher.Hash(_root));
    }

    [Fact]
    public void Hashes_files_bigger_than_the_read_buffer_and_the_overlap_threshold()
    {
        var big = new byte[(9 << 20) + 12345];
        new Random(7).NextBytes(big);
        File.WriteAllBytes(Path.Combine(_root, "big.bin"), big);
        var expected = Oracle(Sha256SumLine.Hex(SHA256.HashData(big)) + "  ./big.bin\n");
        Assert.Equal(expected, ConfigTreeHasher.Hash(_root));
    }

    [Fact]
    public void Changes_when_a_file_changes_or_is_renamed()
    {
        Write("conf", "one");
        var first = ConfigTreeHasher.Hash(_root);
        Write("conf", "two");
        var second = ConfigTreeHasher.Hash(_root);
        File.Move(Path.Combine(_root, "conf"), Path.Combine(_root, "conf2"));
        Assert.Equal(3, new[] { first, second, ConfigTreeHasher.Hash(_root) }.Distinct().Count());
    }

    [Fact]
    public void Refuses_a_file_where_the_folder_should_be()
    {
        Write("file", "x");
        var error = Assert.Throws<DatamancyException>(() => ConfigTreeHasher.Hash(Path.Combine(_root, "file")));
        Assert.Equal(ErrorIds.ConfigUnreadable, error.ErrorId);
    }

    [Fact]
    public void Hashes_many_folders_in_one_pass_and_keeps_an_error_to_its_folder()
    {
        Write("one/x", "1");
        Write("two/y", "2");
        Write("not-a-folder", "3");
        var results = ConfigTreeHasher.HashAll([Path.Combine(_root, "one"), Path.Combine(_root, "not-a-folder"), Path.Combine(_root, "two")], default);
        Assert.Equal(Oracle(Line("1", "./x")), results[0].Hash);
        Assert.Equal(ErrorIds.ConfigUnreadable, results[1].Error?.ErrorId);
        Assert.Equal(Oracle(Line("2", "./y")), results[2].Hash);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static string Line(string content, string name) =>
        $"{Sha256SumLine.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}  {name}\n";

    private static string Oracle(string listing) => "sha256:" + Sha256SumLine.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(listing)));
}
