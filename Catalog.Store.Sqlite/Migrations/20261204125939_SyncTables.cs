using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Sqlite.Migrations
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
                    Target = table.Column<string>(type: "TEXT", nullable: false),
                    PackageId = table.Column<string>(type: "TEXT", nullable: false),
                    RemoteId = table.Column<string>(type: "TEXT", nullable: true),
                    RemoteName = table.Column<string>(type: "TEXT", nullable: false),
                    PushedHash = table.Column<string>(type: "TEXT", nullable: true),
                    PushedSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    Modified = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_dataset", x => new { x.Target, x.PackageId });
                });

            migrationBuilder.CreateTable(
                name: "sync_job",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Target = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Started = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Finished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FromSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    ToSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Deleted = table.Column<int>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    Report = table.Column<string>(type: "TEXT", nullable: false)
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
