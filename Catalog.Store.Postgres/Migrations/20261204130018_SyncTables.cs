using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SyncTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sync_dataset",
                columns: table => new
                {
                    Target = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    PackageId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    RemoteId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    RemoteName = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    PushedHash = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    PushedSeq = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    LastError = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Modified = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_dataset", x => new { x.Target, x.PackageId });
                });

            migrationBuilder.CreateTable(
                name: "sync_job",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Target = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    DryRun = table.Column<bool>(type: "boolean", nullable: false),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Started = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Finished = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FromSeq = table.Column<long>(type: "bigint", nullable: false),
                    ToSeq = table.Column<long>(type: "bigint", nullable: false),
                    CreatedCount = table.Column<int>(type: "integer", nullable: false),
                    Updated = table.Column<int>(type: "integer", nullable: false),
                    Deleted = table.Column<int>(type: "integer", nullable: false),
                    Unchanged = table.Column<int>(type: "integer", nullable: false),
                    Failed = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Report = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_job", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_sync_dataset_Target_Status",
                table: "sync_dataset",
                columns: new[] { "Target", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_sync_job_Status",
                table: "sync_job",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_sync_job_Target_Created",
                table: "sync_job",
                columns: new[] { "Target", "Created" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sync_dataset");

            migrationBuilder.DropTable(
                name: "sync_job");
        }
    }
}
