using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Tests.Workflow;
using Tierpsy.Krypton.Transfer;

namespace Tierpsy.Krypton.Tests.Transfer;

/// <summary>What the verifier does with each copy, from what the cluster's hash command printed.</summary>
public class PartialVerifierTests
{
    private static readonly string Good = new('a', 64),
        Other = new('b', 64);

    [Fact]
    public async Task A_matching_copy_is_renamed_a_differing_one_deleted_and_one_the_cluster_could_not_hash_is_kept()
    {
        // The cluster hashed good and bad, but printed no hash for unreadable (only the listing part of the command).
        var remote = new FakeRemote(command =>
            command.Contains("sha256sum", StringComparison.Ordinal)
                ? new CommandResult(
                    0,
                    $"{Good}\tgood.krypton-partial\0{Good}\tbad.krypton-partial\0"
                        + "10\t1700000000\tgood.krypton-partial\0"
                        + "10\t1700000001\tbad.krypton-partial\0"
                        + "10\t1700000002\tunreadable.krypton-partial\0",
                    ""
                )
                : new CommandResult(0, "", "")
        );
        foreach (var name in new[] { "good", "bad", "unreadable" })
            remote.Files[$"/r/{name}.krypton-partial"] = name;
        var verifier = new PartialVerifier(remote, "/r", 2, TestContext.Current.CancellationToken);

        verifier.Add("good", Good, 10);
        verifier.Add("bad", Other, 10);
        verifier.Add("unreadable", Good, 10);
        var results = await verifier.CompleteAsync();

        Assert.Equal(1700000000, results["good"]);
        Assert.Equal("good", remote.Files["/r/good"]);
        Assert.Null(results["bad"]);
        var deletion = Assert.Single(remote.Files, f => f.Key.Contains(".krypton-delete-", StringComparison.Ordinal));
        Assert.Equal("bad.krypton-partial\0", deletion.Value);
        Assert.False(results.ContainsKey("unreadable"));
        Assert.Equal(["unreadable"], verifier.Unhashed);
        Assert.True(remote.Files.ContainsKey("/r/unreadable.krypton-partial"));
    }
}
